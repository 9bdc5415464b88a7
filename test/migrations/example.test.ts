import { Chart, Testing } from 'cdk8s';
import { MigratedAppChart } from '../../examples/migrated-app/chart';
import { synthValidated } from '../helpers/synth';

describe('migrated-app example', () => {
  test('GIVEN the migrated-app example WHEN synthesized THEN its migrations pass the linter, are planned tx/notx and run as an Argo CD PreSync hook', () => {
    // GIVEN the example (its SQL is linted while the chart is built)
    const chart = new MigratedAppChart(Testing.app(), 'migrated-app');
    // WHEN synthesized with validation
    const manifests = synthValidated(chart as Chart);
    // THEN the plan runs the CONCURRENTLY index outside a transaction and everything else in one
    const files = manifests.find((m) => m.kind === 'ConfigMap').data;
    expect(files.plan).toBe([
      'tx 001_create_posts.sql', 'tx 002_add_slug.sql', 'tx 003_backfill_slug.sql',
      'tx 004_slug_not_null.sql', 'tx 005_validate_slug.sql', 'notx 006_slug_index.sql', '',
    ].join('\n'));
    const job = manifests.find((m) => m.kind === 'Job');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.PGOPTIONS).toBe('-c lock_timeout=3000ms -c statement_timeout=600000ms');
    expect(env.PGHOST).toBe('blog-db-rw.database.svc.cluster.local');
  });
});
