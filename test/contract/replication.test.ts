import { Size } from 'cdk8s';
import { startService, stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';
import { REPLICATOR, StandbyCluster, startStandbyCluster, walBytes } from './harness/standby-cluster';
import { SynchronousStandbys } from '../../src';

jest.setTimeout(300_000);
afterAll(stopAllServices);

const MiB = 1024 * 1024;

/**
 * StreamingReplication's promise, checked with PostgreSQL 15: a primary and two standbys cloned
 * with pg_basebackup and configured only by the rendered postgresql.conf stream through their
 * slots, the synchronous standby holds commits, and max_slot_wal_keep_size caps the WAL a
 * stopped standby's slot keeps.
 */
describe('a primary and two standbys from StreamingReplication settings', () => {
  let cluster: StandbyCluster;

  beforeAll(async () => {
    cluster = await startStandbyCluster({
      replication: {
        synchronous: SynchronousStandbys.first(1, ['db-1']),
        walVolumeSize: Size.mebibytes(512),
        maxWalSize: Size.mebibytes(64),
        maxSlotWalKeepSize: Size.mebibytes(64),
      },
      extraSettings: [{ name: 'max_wal_size', value: '64MB' }, { name: 'min_wal_size', value: '32MB' }],
    });
    cluster.primary.query('CREATE TABLE t (id int)');
  });

  afterAll(async () => cluster?.stop());

  test('GIVEN the rendered settings THEN both standbys stream through their slots with their application_name, sync for db-1', async () => {
    const { primary, standbys } = cluster;
    const rows = primary.query('SELECT application_name, state, sync_state, usename FROM pg_stat_replication ORDER BY 1').split('\n');
    expect(rows).toEqual([`db-1|streaming|sync|${REPLICATOR.user}`, `db-2|streaming|async|${REPLICATOR.user}`]);
    expect(primary.query('SELECT slot_name, active, wal_status FROM pg_replication_slots ORDER BY 1').split('\n'))
      .toEqual(['db_1|t|reserved', 'db_2|t|reserved']);
    for (const standby of standbys) {
      expect(standby.query('SELECT pg_is_in_recovery()')).toBe('t');
      expect(standby.query('SHOW primary_slot_name')).toBe(standby.name.replace('-', '_'));
      // The conninfo the server runs with carries no password (db-1: passfile, db-2: PGPASSWORD).
      expect(standby.query('SHOW primary_conninfo')).not.toContain(REPLICATOR.password);
    }
    expect(standbys[0].query('SHOW primary_conninfo')).toContain('passfile=');
    // A row written on the primary is readable on both standbys.
    primary.query('INSERT INTO t VALUES (42)');
    for (const standby of standbys) {
      await waitFor(`row on ${standby.name}`, () => standby.query('SELECT count(*) FROM t WHERE id = 42') === '1', 30_000);
    }
  });

  test('GIVEN FIRST 1 (db-1) WHEN db-1 stops THEN a commit waits for it, and completes when db-1 is back', async () => {
    const { primary, standbys } = cluster;
    await standbys[0].stop();
    const client = startService('psql-commit', program('psql'), [
      '-X', '-v', 'ON_ERROR_STOP=1', '-h', primary.socketDir, '-p', String(primary.port), '-U', 'postgres', '-c', 'INSERT INTO t VALUES (7)',
    ]);
    await waitFor('the commit to wait for the synchronous standby', () =>
      primary.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND query LIKE 'INSERT INTO t VALUES (7)%'") === '1', 30_000);
    // Still waiting a moment later: db-2 (async) does not release it.
    await new Promise((r) => setTimeout(r, 2000));
    expect(client.running).toBe(true);
    expect(primary.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")).toBe('1');
    await standbys[0].start();
    expect(await client.exited).toBe(0);
    await waitFor('db-1 streaming again', () => primary.query("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'db-1'") === 'sync', 30_000);
  });

  test('GIVEN max_slot_wal_keep_size 64MB WHEN db-2 is stopped and 200+ MB of WAL are written THEN pg_wal stays bounded and the slot is lost', async () => {
    const { primary, standbys } = cluster;
    await standbys[1].stop();
    const start = primary.query('SELECT pg_current_wal_lsn()');
    primary.query("CREATE TABLE filler AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 400000) g");
    primary.query('CHECKPOINT');
    primary.query('SELECT pg_switch_wal()');
    primary.query('CHECKPOINT');
    const written = Number(primary.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '${start}')`));
    const kept = walBytes(primary);
    const slot = primary.query("SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'db_2'");
    console.log(`WAL written while db-2 was stopped: ${(written / MiB).toFixed(0)} MiB; pg_wal after checkpoint: ${(kept / MiB).toFixed(0)} MiB; slot db_2: ${slot}`);
    expect(written).toBeGreaterThan(200 * MiB);
    // max_wal_size 64 + max_slot_wal_keep_size 64, plus two 16 MiB segments in flight.
    expect(kept).toBeLessThanOrEqual((64 + 64 + 32) * MiB);
    expect(slot).toBe('lost');
    // db-1, streaming all along, still confirms commits.
    primary.query('INSERT INTO t VALUES (8)');
    // db-2 comes back to a slot that no longer holds its WAL: it cannot resume (rebuild it).
    await standbys[1].start();
    await waitFor('db-2 to report the removed WAL', () => /has already been removed|can no longer get changes from replication slot/.test(standbys[1].log), 30_000);
    console.log(`db-2 after restart: ${standbys[1].log.split('\n').filter((l) => /removed|replication slot/.test(l))[0]}`);
  });
});
