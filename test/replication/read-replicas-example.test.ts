import { Chart, Testing } from 'cdk8s';
import { ReadReplicasChart } from '../../examples/read-replicas/chart';
import { synthValidated } from '../helpers/synth';

describe('read-replicas example', () => {
  test('GIVEN the example WHEN synthesized THEN the configs, pgpool and the app wiring are there and no secret value is written', () => {
    const manifests = synthValidated(new ReadReplicasChart(Testing.app(), 'read-replicas') as Chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'ConfigMap', 'ConfigMap', 'ConfigMap', 'ConfigMap', 'Deployment', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service',
    ]);
    const confs = manifests.filter((m) => m.kind === 'ConfigMap' && m.data['postgresql.conf']).map((m) => m.data['postgresql.conf']);
    expect(confs.filter((c) => c.includes('synchronous_standby_names = \'ANY 1 ("db-1", "db-2")\''))).toHaveLength(1);
    expect(confs.filter((c) => c.includes("primary_conninfo = 'host=db-primary port=5432 user=replicator application_name=db-"))).toHaveLength(2);
    const web = manifests.find((m) => m.kind === 'Deployment' && m.spec.template.spec.containers[0].name === 'web').spec.template.spec.containers[0];
    const env = Object.fromEntries(web.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.DATABASE_URL).toBe('postgresql://app:$(PGPASSWORD)@db-primary:5432/app');
    expect(env.REPLICA_DATABASE_URL).toBe('postgresql://app:$(REPLICA_PGPASSWORD)@db-pool:5432/app');
    expect(JSON.stringify(manifests)).not.toMatch(/password=|AES[A-Za-z0-9+/]{8}/);
  });
});
