import { Size, Testing } from 'cdk8s';
import {
  CnpgBackupMethod, CnpgCluster, CnpgObjectStore, CnpgPooler, CnpgRestoreTest, CnpgScheduledBackup, ObjectStoreCredentials, PoolMode,
  PrimaryUpdateMethod, RestoreCheck, Schedule,
} from '../../src';
import { synthValidated } from '../helpers/synth';

const nightly = { schedule: Schedule.cron({ minute: '0', hour: '1' }) };

describe('CloudNativePG choices', () => {
  test('GIVEN plain strings from JavaScript WHEN a cluster is built THEN refused, naming the enum-like values', () => {
    // GIVEN
    const chart = Testing.chart();
    const sync = { number: 1, method: 'all' as any };
    // WHEN / THEN
    expect(() => new CnpgCluster(chart, 'A', { storageSize: Size.gibibytes(1), synchronous: sync }))
      .toThrow('[test/A] synchronous.method: got "all"; "any" or "first"');
    expect(() => new CnpgCluster(chart, 'B', { storageSize: Size.gibibytes(1), primaryUpdateMethod: 'restart' as any }))
      .toThrow('[test/B] primaryUpdateMethod: got "restart"; "switchover" or "restart"');
    expect(() => new CnpgCluster(chart, 'C', { storageSize: Size.gibibytes(1), primaryUpdateMethod: PrimaryUpdateMethod.RESTART })).not.toThrow();
  });

  test('GIVEN PoolMode.STATEMENT WHEN a pooler is added THEN refused (CloudNativePG offers session and transaction)', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(1) });
    // WHEN / THEN
    expect(() => cluster.addPooler('P', { poolMode: PoolMode.STATEMENT })).toThrow('[test/Db/P] poolMode: got "statement"; PoolMode.SESSION or PoolMode.TRANSACTION');
  });

  test('GIVEN an imported cluster without a backup store WHEN a scheduled backup is added THEN refused, saying where the store goes', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'legacy-db');
    // WHEN / THEN
    expect(() => new CnpgScheduledBackup(chart, 'Nightly', { cluster, ...nightly }))
      .toThrow('[test/Nightly] cluster: got "legacy-db"; the cluster takes no backups: call backupTo(objectStore) first (for a cluster managed elsewhere, pass its backupStore');
  });

  test('GIVEN a cluster backing up in-tree WHEN asked its backup method THEN BARMAN_OBJECT_STORE; through the plugin THEN PLUGIN', () => {
    // GIVEN
    const chart = Testing.chart();
    const inTree = new CnpgCluster(chart, 'A', { storageSize: Size.gibibytes(1) });
    const plugin = new CnpgCluster(chart, 'B', { storageSize: Size.gibibytes(1) });
    // WHEN
    inTree.backupToInTreeBarmanObjectStore({ destinationPath: 's3://acme/a', credentials: ObjectStoreCredentials.s3IamRole() });
    plugin.backupTo(CnpgObjectStore.fromObjectStoreName(chart, 'Store', 'b-backups'));
    // THEN
    expect([inTree.backupMethod, plugin.backupMethod]).toEqual([CnpgBackupMethod.BARMAN_OBJECT_STORE, CnpgBackupMethod.PLUGIN]);
  });

  test('GIVEN an imported cluster and an imported store of the same name WHEN restore-tested THEN accepted; another store is refused at synth', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'legacy-db', { backupStore: CnpgObjectStore.fromObjectStoreName(chart, 'Store', 'legacy-backups') });
    const sameStore = CnpgObjectStore.fromObjectStoreName(chart, 'SameStore', 'legacy-backups');
    // WHEN
    new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore: sameStore, checks: [RestoreCheck.integrity()] });
    // THEN
    expect(synthValidated(chart).map((m) => m.kind)).toContain('CronJob');
    const other = Testing.chart();
    const otherCluster = CnpgCluster.fromClusterName(other, 'Db', 'legacy-db');
    new CnpgRestoreTest(other, 'RestoreTest', { cluster: otherCluster, objectStore: CnpgObjectStore.fromObjectStoreName(other, 'S', 'x'), checks: [RestoreCheck.integrity()] });
    expect(() => synthValidated(other)).toThrow('cluster legacy-db does not back up to it (it backs up nowhere)');
  });

  test('GIVEN a pooler of an imported cluster WHEN named like the cluster THEN refused like for a cluster defined here', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'legacy-db');
    // WHEN / THEN
    expect(() => new CnpgPooler(chart, 'P', { cluster, name: 'legacy-db' })).toThrow('[test/P] name: got "legacy-db"; CloudNativePG refuses a Pooler named like its cluster');
  });
});
