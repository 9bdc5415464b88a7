import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CnpgCluster, CnpgObjectStore, CnpgPooler, CnpgRestoreTest, CnpgScheduledBackup, ConnectionTarget, DataDurability, ObjectStoreCompression,
  ObjectStoreCredentials, ObjectStoreEncryption, PoolMode, RestoreCheck, Schedule, SecretKeyRef, SynchronousMethod,
} from '../../src';
import { synthValidated } from '../helpers/synth';

// Whole-output snapshots: read the diff whenever one changes (jest --ci never writes them).
describe('CloudNativePG whole output', () => {
  test('GIVEN a CnpgCluster with only a storage size WHEN synthesized THEN the Cluster and its PodMonitor', () => {
    // GIVEN
    const chart = Testing.chart();
    new CnpgCluster(chart, 'Db', { storageSize: Size.gibibytes(10) });
    // WHEN / THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a CnpgCluster with every option, backing up to a store WHEN synthesized THEN all of it', () => {
    // GIVEN
    const chart = Testing.chart();
    const owner = kplus.Secret.fromSecretName(chart, 'Owner', 'shop-owner');
    const cluster = new CnpgCluster(chart, 'Db', {
      name: 'shop-db',
      instances: 3,
      memory: Size.gibibytes(4),
      cpu: kplus.Cpu.units(2),
      storageSize: Size.gibibytes(100),
      walStorageSize: Size.gibibytes(20),
      storageClass: 'fast-ssd',
      database: 'shop',
      owner: 'shopkeeper',
      ownerSecret: owner,
      synchronous: { number: 1, method: SynchronousMethod.FIRST, dataDurability: DataDurability.PREFERRED },
      spreadAcrossZones: true,
      parameters: { max_connections: '200' },
      pgHba: ['host all all 10.0.0.0/8 scram-sha-256'],
      managedRoles: [{ name: 'reporter', inRoles: ['pg_monitor'], passwordSecret: owner }],
    });
    cluster.backupTo(CnpgObjectStore.fromObjectStoreName(chart, 'Store', 'shop-backups'));
    // WHEN / THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a CnpgPooler for the replicas in session mode WHEN synthesized THEN the Pooler, its PodDisruptionBudget and PodMonitor', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'shop-db');
    new CnpgPooler(chart, 'Reads', { cluster, target: ConnectionTarget.REPLICAS, poolMode: PoolMode.SESSION, instances: 3, parameters: { max_client_conn: '500' } });
    // WHEN / THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a CnpgScheduledBackup of a cluster backing up elsewhere WHEN synthesized THEN the ScheduledBackup through the plugin', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'shop-db', { backupStore: CnpgObjectStore.fromObjectStoreName(chart, 'Store', 'shop-backups') });
    new CnpgScheduledBackup(chart, 'Nightly', { cluster, schedule: Schedule.cron({ minute: '30', hour: '1' }), immediate: true, preferStandby: false });
    // WHEN / THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a CnpgObjectStore with every option WHEN synthesized THEN the ObjectStore', () => {
    // GIVEN
    const chart = Testing.chart();
    const s3 = kplus.Secret.fromSecretName(chart, 'S3', 'backup-s3');
    new CnpgObjectStore(chart, 'Backups', {
      name: 'shop-backups',
      destinationPath: 's3://acme-backups/shop-db',
      endpointUrl: 'https://minio.storage:9000',
      credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'ACCESS_KEY_ID'), SecretKeyRef.of(s3, 'ACCESS_SECRET_KEY')),
      retention: Duration.days(14),
      compression: ObjectStoreCompression.LZ4,
      encryption: ObjectStoreEncryption.AWS_KMS,
    });
    // WHEN / THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a CnpgRestoreTest of a cluster managed elsewhere WHEN synthesized THEN the CronJob, its files, RBAC and the throwaway', () => {
    // GIVEN
    const chart = Testing.chart();
    const objectStore = CnpgObjectStore.fromObjectStoreName(chart, 'Store', 'shop-backups');
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'shop-db', { database: 'shop', parameters: { max_connections: '300' }, backupStore: objectStore });
    // WHEN
    new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks: [RestoreCheck.minRows('orders', 1)] });
    // THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });
});
