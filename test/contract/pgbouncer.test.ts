import { pgbench, pgbenchInBackground } from './harness/pgbench';
import { PooledPostgres, startPooledPostgres } from './harness/pooled-postgres';
import { startService, stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';

jest.setTimeout(240_000);
afterAll(stopAllServices);

/**
 * The pooling constructs' promise, checked with the real programs: PostgreSQL 15 with
 * max_connections = 100, PgBouncer 1.18 started from the pgbouncer.ini and SCRAM userlist the
 * library renders (transaction pooling, default_pool_size 20, max_db_connections 50).
 */
describe('PgBouncer from rendered settings in front of PostgreSQL 15', () => {
  let stack: PooledPostgres;

  beforeAll(async () => {
    stack = await startPooledPostgres();
  });

  afterAll(async () => stack?.stop());

  test('1000 concurrent clients through PgBouncer all complete: 0 failed, none aborted', () => {
    const result = pgbench(stack.pooled, 1000, 10);
    console.log(`through PgBouncer, 1000 clients: status ${result.status}, tps ${result.tps}, failed ${result.failedTransactions}`);
    expect([result.status, result.aborted]).toEqual([0, false]);
    expect(result.output).toContain('number of clients: 1000');
    expect(result.failedTransactions).toBe(0);
    expect(result.tps).toBeGreaterThan(0);
    // and PostgreSQL saw at most one pool's worth of connections from the app (default_pool_size 20)
    const serverConnections = Number(stack.server.query("SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'"));
    expect(serverConnections).toBeGreaterThan(0);
    expect(serverConnections).toBeLessThanOrEqual(20);
  });

  test('the same 1000 clients straight to PostgreSQL fail: too many clients', () => {
    const result = pgbench(stack.direct, 1000, 5);
    console.log(`direct, 1000 clients: status ${result.status}`);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/too many clients already|remaining connection slots are reserved/);
  });

  test('SHOW POOLS on the admin console, as the rendered admin user with SCRAM', () => {
    const rows = stack.bouncer.admin(stack.admin.user, 'SHOW POOLS', { PGPASSWORD: stack.admin.password });
    const app = rows.find((row) => row[0] === 'app' && row[1] === 'app');
    expect(app).toBeDefined();
    // database | user | cl_active | cl_waiting | ... | sv_active | sv_idle | sv_used | sv_tested | sv_login | maxwait | ... | pool_mode
    expect(app![app!.length - 1]).toBe('transaction');
    // The admin user is refused without its password: auth really is SCRAM, not trust.
    expect(() => stack.bouncer.admin(stack.admin.user, 'SHOW POOLS', { PGPASSWORD: 'wrong' })).toThrow(/SASL authentication failed|password authentication failed/);
  });

  test('after a PostgreSQL restart under load, new transactions through PgBouncer succeed again', async () => {
    // GIVEN 50 clients hammering PgBouncer
    const load = pgbenchInBackground(stack.pooled, 50, 12);
    await new Promise((r) => setTimeout(r, 3000));
    // WHEN PostgreSQL restarts in the middle of it (fast shutdown: sessions are cut)
    await stack.server.restart();
    await load.exited;
    console.log(`load during restart ended with status ${await load.exited}`);
    // THEN PgBouncer hands out fresh server connections: a new run sees no failures
    await waitFor('a transaction through PgBouncer', () => pgbench(stack.pooled, 1, 1).status === 0, 30_000);
    const after = pgbench(stack.pooled, 50, 5);
    console.log(`after restart, 50 clients: status ${after.status}, tps ${after.tps}, failed ${after.failedTransactions}`);
    expect([after.status, after.aborted, after.failedTransactions]).toEqual([0, false, 0]);
  });

  // Last: it shuts PgBouncer down.
  test('SIGINT, what the preStop hook sends, lets an in-flight transaction commit before PgBouncer exits', async () => {
    stack.server.query('CREATE TABLE IF NOT EXISTS shutdown_probe (id int)', 'app');
    stack.server.query('GRANT ALL ON shutdown_probe TO app', 'app');
    // GIVEN a transaction in flight through PgBouncer
    const client = startService('psql', program('psql'), [
      '-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(stack.pooled.port), '-U', 'app', '-d', 'app',
      '-c', 'BEGIN; INSERT INTO shutdown_probe VALUES (1); SELECT pg_sleep(3); INSERT INTO shutdown_probe VALUES (2); COMMIT;',
    ], { env: { PGPASSWORD: stack.pooled.password } });
    await waitFor('the transaction to start', () => stack.server.query("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()") === '1', 10_000);
    // WHEN PgBouncer gets SIGINT (safe shutdown)
    const bouncerPid = stack.bouncer.pid;
    process.kill(bouncerPid, 'SIGINT');
    // THEN the transaction completes, both rows are there, and PgBouncer exits afterwards
    expect(await client.exited).toBe(0);
    expect(stack.server.query('SELECT count(*) FROM shutdown_probe', 'app')).toBe('2');
    await waitFor('PgBouncer to exit after the safe shutdown', () => !stack.bouncer.running, 15_000);
  });
});
