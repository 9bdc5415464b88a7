import * as fs from 'fs';
import { Duration, Size } from 'cdk8s';
import { PgpoolProcess, PoolUser } from './harness/pgpool-process';
import { startService, stopAllServices, waitFor } from './harness/processes';
import { StandbyCluster, startStandbyCluster } from './harness/standby-cluster';
import { PgpoolSettings } from '../../src';

jest.setTimeout(400_000);
afterAll(stopAllServices);

const APP: PoolUser = { name: 'app', password: 'app-pw-3f9a' };
const CHECK: PoolUser = { name: 'pgpool_check', password: 'check-pw-81c2' };

/** The backend port of each of `count` reads through pgpool, as a histogram. */
function readSplit(pool: PgpoolProcess, count: number): Record<string, number> {
  const out = pool.script(APP, 'SELECT inet_server_port();\n'.repeat(count), 'app');
  const split: Record<string, number> = {};
  for (const port of out.split('\n')) split[port] = (split[port] ?? 0) + 1;
  return split;
}

/**
 * pgpool-II 4.3 from the rendered pgpool.conf in front of the StreamingReplication cluster
 * (primary 127.0.0.2, db-1 127.0.0.3, db-2 127.0.0.4), SCRAM end to end with AES pool_passwd.
 * Reads are balanced per statement (statement_level_load_balance) so that one psql session of
 * 10,000 SELECTs shows the weights.
 */
describe('pgpool-II with rendered settings in front of a primary and two standbys', () => {
  let cluster: StandbyCluster;
  let pool: PgpoolProcess;
  let ports: { primary: string; db1: string; db2: string };

  beforeAll(async () => {
    cluster = await startStandbyCluster();
    const { primary, standbys } = cluster;
    primary.query(`CREATE ROLE ${APP.name} LOGIN PASSWORD '${APP.password}'; CREATE ROLE ${CHECK.name} LOGIN PASSWORD '${CHECK.password}' IN ROLE pg_monitor`);
    primary.query(`CREATE DATABASE app OWNER ${APP.name}`);
    primary.query('CREATE TABLE t (id int, note text); ALTER TABLE t OWNER TO app', 'app');
    ports = { primary: String(primary.port), db1: String(standbys[0].port), db2: String(standbys[1].port) };
    const replayed = () => standbys.every((s) => s.query("SELECT count(*) FROM pg_roles WHERE rolname = 'pgpool_check'") === '1'
      && s.query("SELECT count(*) FROM pg_database WHERE datname = 'app'") === '1');
    await waitFor('the roles and the app database on both standbys', replayed, 30_000);
    const settings: PgpoolSettings = {
      primary: { host: '127.0.0.2', port: primary.port },
      standbys: [
        { host: '127.0.0.3', port: standbys[0].port, weight: 2, applicationName: 'db-1' },
        { host: '127.0.0.4', port: standbys[1].port, weight: 1, applicationName: 'db-2' },
      ],
      checkUser: CHECK.name,
      statementLevelLoadBalance: true,
      healthCheckPeriod: Duration.seconds(1),
      healthCheckMaxRetries: 1,
      healthCheckTimeout: Duration.seconds(2),
      connectTimeout: Duration.seconds(2),
      srCheckPeriod: Duration.seconds(1),
      delayThreshold: Size.mebibytes(1),
    };
    pool = await PgpoolProcess.start(settings, [APP, CHECK]);
  });

  afterAll(async () => {
    await pool?.stop();
    await cluster?.stop();
  });

  test('GIVEN SCRAM backends THEN pool_passwd holds AES entries only and a wrong password is refused', () => {
    const passwd = fs.readFileSync(pool.poolPasswdFile, 'utf8');
    expect(passwd.trim().split('\n').map((l) => l.replace(/:AES.*/, ':AES…'))).toEqual(['app:AES…', 'pgpool_check:AES…']);
    expect(passwd).not.toContain(APP.password);
    expect(pool.conf).not.toContain(CHECK.password);
    const wrong = pool.tryQuery({ ...APP, password: 'wrong' }, 'SELECT 1', 'app');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/authentication failed/);
  });

  // Regression: the script copied the key with `cp` onto the previous run's read-only copy
  // ("Permission denied"), so a restarted container crash-looped for good (found by npm run e2e).
  test('GIVEN the container restarts WHEN the start script runs again on the same run directory THEN pgpool starts and logs in', async () => {
    await pool.restart();
    expect(pool.query(APP, 'SELECT 1', 'app')).toBe('1');
    expect(fs.readFileSync(pool.poolPasswdFile, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  test('GIVEN a write WHEN it goes through pgpool THEN the primary executes it', () => {
    expect(pool.query(APP, "INSERT INTO t VALUES (1, 'w') RETURNING inet_server_port()", 'app')).toBe(ports.primary);
  });

  test('GIVEN weights 0/2/1 WHEN 10,000 reads run THEN the standbys share them about 2:1 and the primary gets none', () => {
    const split = readSplit(pool, 10_000);
    console.log(`10,000 reads: primary ${split[ports.primary] ?? 0}, db-1 (weight 2) ${split[ports.db1] ?? 0}, db-2 (weight 1) ${split[ports.db2] ?? 0}`);
    expect(split[ports.primary]).toBeUndefined();
    expect(split[ports.db1] + split[ports.db2]).toBe(10_000);
    // 2/3 expected; a binomial of 10,000 stays within ±0.03 of it far beyond 5 standard deviations.
    expect(split[ports.db1] / 10_000).toBeGreaterThan(0.63);
    expect(split[ports.db1] / 10_000).toBeLessThan(0.70);
  });

  test('GIVEN a transaction WHEN it reads after its write THEN the read goes to the primary; a read before the write is balanced', () => {
    const out = pool.script(APP, "BEGIN;\nSELECT inet_server_port();\nINSERT INTO t VALUES (2, 'rw');\nSELECT inet_server_port(), count(*) FROM t WHERE id = 2;\nCOMMIT;\n", 'app');
    const [before, after] = out.split('\n');
    expect([ports.db1, ports.db2]).toContain(before);
    expect(after).toBe(`${ports.primary}|1`);
  });

  test('GIVEN db-2 replays more than delay_threshold (1 MiB) behind WHEN reads run THEN db-2 gets none until it catches up', async () => {
    const [, db2] = cluster.standbys;
    db2.query('SELECT pg_wal_replay_pause()');
    cluster.primary.query("INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 30000) g", 'app');
    await waitFor('pgpool to see db-2 lagging', () => Number(pool.nodes(APP).find((n) => n.port === ports.db2)!.replication_delay) > 1024 * 1024, 30_000);
    const lagging = pool.nodes(APP).find((n) => n.port === ports.db2)!;
    const split = readSplit(pool, 2_000);
    console.log(`db-2 ${lagging.replication_delay} bytes behind: 2,000 reads: primary ${split[ports.primary] ?? 0}, db-1 ${split[ports.db1] ?? 0}, db-2 ${split[ports.db2] ?? 0}`);
    expect(split[ports.db2]).toBeUndefined();
    expect(split[ports.db1]).toBe(2_000);
    db2.query('SELECT pg_wal_replay_resume()');
    await waitFor('db-2 caught up in pgpool\'s eyes', () => Number(pool.nodes(APP).find((n) => n.port === ports.db2)!.replication_delay) === 0, 30_000);
    const back = readSplit(pool, 600);
    console.log(`db-2 caught up: 600 reads: db-1 ${back[ports.db1] ?? 0}, db-2 ${back[ports.db2] ?? 0}`);
    expect(back[ports.db2]).toBeGreaterThan(0);
  });

  test('GIVEN db-2 stops WHEN the health check detaches it THEN reads continue on db-1 with 0 errors, and db-2 returns by auto_failback', async () => {
    const [, db2] = cluster.standbys;
    // Short sessions, one after another, through the stop: the errors there are the window before detach.
    const loop = startService('read-loop', '/bin/sh', ['-c',
      `for i in $(seq 1 150); do psql -X -A -t -q -h 127.0.0.5 -p ${pool.port} -U app -d app -c 'SELECT inet_server_port()' 2>/dev/null || echo FAIL; done`], { env: { PGPASSWORD: APP.password } });
    await new Promise((r) => setTimeout(r, 500));
    await db2.stop();
    await waitFor('pgpool to detach db-2', () => pool.nodes(APP).find((n) => n.port === ports.db2)!.status === 'down', 30_000);
    await loop.exited;
    const during = loop.output.trim().split('\n');
    console.log(`150 sessions across the stop: ${during.filter((l) => l === 'FAIL').length} failed, ${during.filter((l) => l === ports.db2).length} on db-2`);
    let errors = 0;
    const after: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const r = pool.tryQuery(APP, 'SELECT inet_server_port()', 'app');
      if (r.status !== 0) errors++;
      else after[r.stdout.trim()] = (after[r.stdout.trim()] ?? 0) + 1;
    }
    const split = readSplit(pool, 2_000);
    console.log(`after detach: 100 new sessions ${errors} errors (${JSON.stringify(after)}); 2,000 reads in one session: db-1 ${split[ports.db1] ?? 0}, other ${2000 - (split[ports.db1] ?? 0)}`);
    expect(errors).toBe(0);
    expect(split[ports.db1]).toBe(2_000);
    await db2.start();
    await waitFor('auto_failback to attach db-2 again', () => pool.nodes(APP).find((n) => n.port === ports.db2)!.status === 'up', 60_000);
    expect(readSplit(pool, 600)[ports.db2]).toBeGreaterThan(0);
  });
});
