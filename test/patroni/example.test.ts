import { Chart, Testing } from 'cdk8s';
import { PatroniHaChart } from '../../examples/patroni-ha/chart';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

describe('examples/patroni-ha', () => {
  test('GIVEN the example WHEN synthesized THEN every object is schema-valid, the members are restricted and the app reaches the pooler and the replicas', () => {
    const manifests = synthValidated(new PatroniHaChart(Testing.app(), 'patroni-ha', { namespace: 'database' }) as Chart);
    const members = manifests.find((m) => m.kind === 'StatefulSet');
    expectRestricted(members.spec.template.spec);
    const web = manifests.find((m) => m.kind === 'Deployment' && m.spec.template.spec.containers[0].name === 'app');
    expect(web.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'PGHOST', value: 'app-db-pooler' },
      { name: 'REPORTS_PGHOST', value: 'app-db-replicas' },
    ]));
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'app-db-patroni').data['patroni.yml'];
    expect(config).toContain('    synchronous_mode: true\n');
    expect(config).toContain('    failsafe_mode: true\n');
    expect(config).not.toMatch(/^\s*password:/m);
  });
});
