import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PostgresAlerts, PostgresExporter, RunbookLinks, SecretKeyRef } from '../../src';

/** A chart with the exporter's credentials Secret, as an application would reference it. */
function chartWithPassword() {
  const chart = Testing.chart();
  const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'exporter-credentials'), 'password');
  return { chart, password };
}

describe('whole-output snapshots', () => {
  test('GIVEN an exporter of its own WHEN synthesized THEN Deployment, Service, ServiceMonitor, NetworkPolicy and queries ConfigMap are as snapshotted', () => {
    // GIVEN
    const { chart, password } = chartWithPassword();
    // WHEN
    new PostgresExporter(chart, 'Exporter', {
      clusterName: 'app-db',
      connection: { host: 'app-db-rw.db.svc', database: 'app', user: 'postgres_exporter', password, sslMode: 'require' },
    });
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('GIVEN an exporter as a sidecar of a database StatefulSet WHEN synthesized THEN the pod, the PodMonitor and the queries ConfigMap are as snapshotted', () => {
    // GIVEN
    const { chart, password } = chartWithPassword();
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'docker.io/library/postgres:15.18-bookworm', portNumber: 5432, securityContext: { user: 999 } }] });
    // WHEN
    new PostgresExporter(chart, 'Exporter', { clusterName: 'app-db', connection: { user: 'postgres_exporter', password }, sidecarOf: db });
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('GIVEN the default alert catalog WHEN synthesized THEN the PrometheusRule is as snapshotted', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    // Links under a fixed base: the packaged default carries the package version, which a release bumps.
    new PostgresAlerts(chart, 'Alerts', { labels: { team: 'dba' }, runbooks: RunbookLinks.baseUrl('https://runbooks.example.com/postgres') });
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});
