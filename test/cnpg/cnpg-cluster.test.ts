import { ApiObject, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CnpgCluster, CnpgObjectStore, ConnectionTarget, ContainerImage, ObjectStoreCredentials, RecoveryAction, RecoveryTarget, Schedule, SecretKeyRef,
} from '../../src';
import { synthValidated } from '../helpers/synth';

function seedCluster(chart: Chart) {
  const cluster = new CnpgCluster(chart, 'AppDb', { name: 'myapp-db', storageSize: Size.gibibytes(50), walStorageSize: Size.gibibytes(10), memory: Size.gibibytes(4) });
  const s3 = kplus.Secret.fromSecretName(chart, 'S3', 'backup-s3');
  const store = new CnpgObjectStore(chart, 'Store', {
    name: 'myapp-db-backups',
    destinationPath: 's3://acme-backups/myapp-db',
    credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'ACCESS_KEY_ID'), SecretKeyRef.of(s3, 'ACCESS_SECRET_KEY')),
  });
  cluster.backupTo(store);
  cluster.addScheduledBackup('Daily', { schedule: Schedule.cron({ minute: '0', hour: '2' }) });
  cluster.addScheduledBackup('Weekly', { schedule: Schedule.cron({ minute: '0', hour: '3', weekDay: 'SUN' }) });
  return cluster;
}

describe('CnpgCluster', () => {
  test('the seed setup: 3 instances, tuned parameters, plugin backups to S3 with 30 days, six-field schedules from a standby', () => {
    // GIVEN the seed setup (a cluster backing up to S3, two schedules) WHEN synthesized THEN the production defaults
    const chart = Testing.chart();
    seedCluster(chart);
    const manifests = synthValidated(chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Cluster', 'ObjectStore', 'PodMonitor', 'ScheduledBackup', 'ScheduledBackup']);
    const cluster = manifests.find((m) => m.kind === 'Cluster').spec;
    expect(cluster.instances).toBe(3);
    expect(cluster.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:15.18-standard-bookworm');
    expect(cluster.postgresql.parameters).toMatchObject({ shared_buffers: '1024MB', effective_cache_size: '3072MB', max_connections: '100', max_wal_size: '4GB' });
    expect(cluster.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'myapp-db-backups' } }]);
    expect(cluster.backup).toBeUndefined();
    expect(cluster.bootstrap.initdb).toMatchObject({ database: 'app', owner: 'app', dataChecksums: true, postInitApplicationSQL: ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements'] });
    expect(cluster.resources).toEqual({ requests: { memory: '4096Mi', cpu: '500m' }, limits: { memory: '4096Mi' } });
    expect(manifests.find((m) => m.kind === 'ObjectStore').spec).toEqual({
      retentionPolicy: '30d',
      configuration: {
        destinationPath: 's3://acme-backups/myapp-db',
        s3Credentials: { accessKeyId: { name: 'backup-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 'backup-s3', key: 'ACCESS_SECRET_KEY' } },
        wal: { compression: 'gzip' },
        data: { compression: 'gzip' },
      },
    });
    const schedules = manifests.filter((m) => m.kind === 'ScheduledBackup').map((m) => m.spec);
    expect(schedules.map((s) => s.schedule)).toEqual(['0 0 2 * * *', '0 0 3 * * SUN']);
    for (const s of schedules) expect(s).toMatchObject({ target: 'prefer-standby', method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } });
    const monitor = manifests.find((m) => m.kind === 'PodMonitor').spec;
    expect(monitor.selector.matchLabels).toEqual({ 'cnpg.io/cluster': 'myapp-db', 'cnpg.io/podRole': 'instance' });
  });

  test('poolers: our own PDB and PodMonitor, named apart from the cluster', () => {
    // GIVEN rw and ro poolers WHEN synthesized THEN each with a PDB and a PodMonitor, named after the cluster
    const chart = Testing.chart();
    const cluster = seedCluster(chart);
    cluster.addPooler('PoolerRw', { parameters: { default_pool_size: '20', max_client_conn: '1000' } });
    cluster.addPooler('PoolerRo', { target: ConnectionTarget.REPLICAS, instances: 3 });
    const manifests = synthValidated(chart);
    const poolers = manifests.filter((m) => m.kind === 'Pooler');
    expect(poolers.map((p) => [p.metadata.name, p.spec.type, p.spec.pgbouncer.poolMode])).toEqual([['myapp-db-pooler-rw', 'rw', 'transaction'], ['myapp-db-pooler-ro', 'ro', 'transaction']]);
    expect(manifests.filter((m) => m.kind === 'PodDisruptionBudget').map((p) => p.spec.selector.matchLabels)).toEqual([{ 'cnpg.io/poolerName': 'myapp-db-pooler-rw' }, { 'cnpg.io/poolerName': 'myapp-db-pooler-ro' }]);
    expect(manifests.filter((m) => m.kind === 'PodMonitor')).toHaveLength(3);
    expect([cluster.rwServiceName, cluster.roServiceName, cluster.rServiceName, cluster.appSecretName]).toEqual(['myapp-db-rw', 'myapp-db-ro', 'myapp-db-r', 'myapp-db-app']);
  });

  test('rules CloudNativePG enforces at admission fail the synth instead', () => {
    // GIVEN props CloudNativePG refuses at admission WHEN constructs are built THEN refused here
    const chart = Testing.chart();
    expect(() => new CnpgCluster(chart, 'A', { storageSize: Size.gibibytes(1), instances: 0 })).toThrow('[test/A] instances: got 0; at least 1 instance');
    expect(() => new CnpgCluster(chart, 'B', { storageSize: Size.gibibytes(1), image: ContainerImage.of('ghcr.io/cloudnative-pg/postgresql', '17.6'), imageCatalog: { kind: 'ClusterImageCatalog', name: 'postgresql', major: 17 } }))
      .toThrow('[test/B] image: got "ghcr.io/cloudnative-pg/postgresql:17.6"; CloudNativePG refuses imageName together with imageCatalogRef');
    const cluster = new CnpgCluster(chart, 'C', { name: 'shop-db', storageSize: Size.gibibytes(1) });
    expect(() => cluster.addPooler('P', { name: 'shop-db' })).toThrow('[test/C/P] name: got "shop-db"; CloudNativePG refuses a Pooler named like its cluster');
    expect(() => cluster.addScheduledBackup('D', { schedule: Schedule.cron({ hour: '2', minute: '0' }) })).toThrow('call backupTo(objectStore) first');
    expect(() => new CnpgCluster(chart, 'E', { storageSize: Size.gibibytes(1), memory: Size.gibibytes(2), parameters: { shared_buffers: '3GB' } }))
      .toThrow('[test/E] parameters.shared_buffers: got "3GB"; must be well below the memory limit (2048MiB)');
  });

  test('a five-field schedule patched in through the escape hatch fails the synth', () => {
    // GIVEN a backup schedule patched back to five fields WHEN synthesized THEN fails
    const app = Testing.app();
    const chart = new Chart(app, 'db');
    const cluster = seedCluster(chart);
    const backup = cluster.addScheduledBackup('Hourly', { schedule: Schedule.cron({ minute: '0' }) });
    ApiObject.of(backup).addJsonPatch(JsonPatch.replace('/spec/schedule', '0 * * * *'));
    expect(() => app.synth()).toThrow('spec.schedule: "0 * * * *" has 5 fields; CloudNativePG needs six, seconds first (use Schedule)');
  });

  test('recovery from an object store to a point in time', () => {
    // GIVEN a cluster recovering to a time WHEN synthesized THEN the recovery bootstrap and the origin through the plugin
    const chart = Testing.chart();
    const source = seedCluster(chart);
    const store = chart.node.findChild('Store') as CnpgObjectStore;
    new CnpgCluster(chart, 'Restored', {
      name: 'myapp-db-restored',
      storageSize: Size.gibibytes(50),
      recovery: { objectStore: store, sourceServerName: source.name, target: RecoveryTarget.of({ time: '2026-11-24T09:59:00Z', inclusive: false, action: RecoveryAction.PROMOTE }) },
    });
    const restored = synthValidated(chart).filter((m) => m.kind === 'Cluster')[1].spec;
    expect(restored.bootstrap).toEqual({ recovery: { source: 'origin', database: 'app', owner: 'app', recoveryTarget: { targetTime: '2026-11-24 09:59:00+00', exclusive: true } } });
    expect(restored.externalClusters).toEqual([{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'myapp-db-backups', serverName: 'myapp-db' } } }]);
  });

  test('the deprecated in-tree barmanObjectStore only as an explicit opt-in, with matching backup method', () => {
    // GIVEN the in-tree opt-in WHEN a backup is scheduled THEN backup.barmanObjectStore and the matching method, no ObjectStore
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Legacy', { name: 'legacy-db', storageSize: Size.gibibytes(10) });
    cluster.backupToInTreeBarmanObjectStore({ destinationPath: 's3://acme/legacy-db', credentials: ObjectStoreCredentials.s3IamRole(), retention: Duration.days(14) });
    cluster.addScheduledBackup('Nightly', { schedule: Schedule.cron({ minute: '0', hour: '1' }) });
    const manifests = synthValidated(chart);
    const spec = manifests.find((m) => m.kind === 'Cluster').spec;
    expect(spec.plugins).toBeUndefined();
    expect(spec.backup).toEqual({
      retentionPolicy: '14d',
      barmanObjectStore: { destinationPath: 's3://acme/legacy-db', s3Credentials: { inheritFromIAMRole: true }, wal: { compression: 'gzip' }, data: { compression: 'gzip' } },
    });
    expect(manifests.find((m) => m.kind === 'ScheduledBackup').spec.method).toBe('barmanObjectStore');
    expect(manifests.map((m) => m.kind)).not.toContain('ObjectStore');
  });
});
