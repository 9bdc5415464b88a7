import { PostgresServer } from './harness/postgres';
import { runUnchecked, stopAllServices } from './harness/processes';
import { program } from './harness/programs';
import { PsqlSession } from './harness/psql-session';
import { LockFixture, LOCK_FIXTURES } from './migration-lock-fixtures';
import { MigrationLinter } from '../../src/migrations';
import { LOCK_MODES } from '../../src/migrations/lint/locks';

jest.setTimeout(120_000);

const DB = 'shop';
const rules = new Map(MigrationLinter.rules().map((r) => [r.id, r]));
const rank = (mode: string) => LOCK_MODES.indexOf(mode as typeof LOCK_MODES[number]);
let server: PostgresServer;
const sessions: PsqlSession[] = [];

beforeAll(async () => {
  await MigrationLinter.loadParser();
  server = await PostgresServer.start();
  server.query(`CREATE DATABASE ${DB}`);
});

// A test that failed half-way must not leave a transaction (and its locks) to the next one.
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

afterAll(async () => {
  await server?.stop();
  await stopAllServices();
});

async function session(name: string): Promise<PsqlSession> {
  const s = await PsqlSession.open(server, DB, name);
  sessions.push(s);
  return s;
}

const q = (sql: string) => server.query(sql, DB);

async function waitUntil(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The strongest lock mode `pid` holds (granted) or waits for on the relation `oid`. */
function lockOf(pid: number, oid: string, granted: boolean): string {
  const modes = q(`SELECT mode FROM pg_locks WHERE pid = ${pid} AND relation = ${oid} AND granted = ${granted}`).split('\n').filter(Boolean);
  return modes.sort((a, b) => rank(b) - rank(a))[0] ?? 'none';
}

/** Whether the session named `app` waits for a lock `pid` holds (pg_blocking_pids). */
function blockedBy(app: string, pid: number): boolean {
  return q(`SELECT count(*) FROM pg_stat_activity WHERE application_name = '${app}' AND ${pid} = ANY(pg_blocking_pids(pid))`) === '1';
}

const writerOf = (f: LockFixture) => f.writer ?? `UPDATE ${f.table} SET v = v + 1 WHERE id = 1;`;
const filenode = (oid: string) => q(`SELECT pg_relation_filenode(${oid})`);

/** Runs the application's writer with a 3 s lock_timeout: true when it got through. */
function writerGetsThrough(sql: string): boolean {
  const result = runUnchecked(program('psql'), ['-X', '-q', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-d', DB, '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    env: { PGOPTIONS: '-c lock_timeout=3s' }, timeoutMs: 20_000,
  });
  return result.status === 0;
}

describe('every rule that claims a lock has a fixture', () => {
  test('GIVEN the rule set WHEN the rules claiming a table lock are listed THEN each one is proven below', () => {
    const claiming = MigrationLinter.rules().filter((r) => r.lockMode !== 'none').map((r) => r.id).sort();
    expect(LOCK_FIXTURES.map((f) => f.rule).sort()).toEqual(claiming);
  });
});

describe.each(LOCK_FIXTURES.map((f) => [f.rule, f] as const))('rule %s against PostgreSQL 15', (id, fixture) => {
  const rule = rules.get(id)!;

  test('GIVEN the fixture WHEN linted THEN the flagged SQL is flagged by the rule and the safe SQL is not', () => {
    const lint = (sql: string) => new MigrationLinter({ lockTimeoutSet: true, statementTimeoutSet: true }).lintSql(sql).map((f) => f.ruleId);
    expect(lint(fixture.lintInTransaction ? `BEGIN;\n${fixture.flagged}\nCOMMIT;` : fixture.flagged)).toContain(id);
    for (const safe of [fixture.safe && `${fixture.safe.before ?? ''}\n${fixture.safe.held}`, fixture.noRewrite, fixture.appQuery?.safe]) {
      if (safe) expect(lint(safe)).not.toContain(id);
    }
  });

  test(`GIVEN a populated table and a concurrent writer WHEN the flagged statement runs THEN it takes ${rule.lockMode} and the writer waits for it`, async () => {
    // GIVEN the populated table
    q(fixture.setup);
    const oid = q(`SELECT '${fixture.table}'::regclass::oid`);
    const migration = await session(`migration-${id}`);
    const writer = await session(`writer-${id}`);
    let reader: PsqlSession | undefined;
    if ((fixture.observe ?? 'hold') === 'hold') {
      // WHEN the flagged statement ran in a transaction that is still open
      await migration.send(`BEGIN;\n${fixture.flagged}`);
      expect(migration.takeErrors()).not.toMatch(/ERROR/);
      // THEN it holds the claimed lock
      expect(lockOf(migration.pid, oid, true)).toBe(rule.lockMode);
    } else {
      // WHEN a reader holds ACCESS SHARE and the flagged statement queues for its lock
      reader = await session(`reader-${id}`);
      await reader.send(`BEGIN; SELECT count(*) FROM ${fixture.table};`);
      migration.start(fixture.flagged);
      await waitUntil('the migration to wait for its lock', () => lockOf(migration.pid, oid, false) !== 'none');
      // THEN the lock it waits for is the claimed one
      expect(lockOf(migration.pid, oid, false)).toBe(rule.lockMode);
    }
    // AND a writer of the running application waits behind the migration
    writer.start(writerOf(fixture));
    await waitUntil('the writer to be blocked by the migration', () => blockedBy(`writer-${id}`, migration.pid));
    if (reader) await reader.send('ROLLBACK;');
    await migration.send(fixture.observe === 'queue' ? 'SELECT 1;' : 'ROLLBACK;');
    if (fixture.fails) expect(migration.takeErrors()).toMatch(fixture.fails);
    // and gets through once the migration ends
    await writer.send('SELECT 1;');
    expect(writer.takeErrors()).not.toMatch(/ERROR/);
  });

  test(`GIVEN the populated table WHEN the flagged statement commits THEN the table is ${rule.rewrites ? '' : 'not '}rewritten (relfilenode)`, () => {
    q(fixture.setup);
    const oid = q(`SELECT '${fixture.table}'::regclass::oid`);
    const before = filenode(oid);
    const result = runUnchecked(program('psql'), ['-X', '-q', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-d', DB, '-v', 'ON_ERROR_STOP=1', '-c', fixture.flagged]);
    if (fixture.fails) {
      expect(result.stderr).toMatch(fixture.fails);
      return;
    }
    expect(result.stderr).not.toMatch(/ERROR/);
    const after = filenode(oid);
    if (after === '') return; // dropped: nothing left to compare
    if (rule.rewrites) expect(after).not.toBe(before);
    else expect(after).toBe(before);
  });

  if (fixture.safe) {
    const safe = fixture.safe;
    test('GIVEN the populated table WHEN the safe alternative runs THEN the writer is not blocked', async () => {
      q(fixture.setup);
      if (safe.before) q(safe.before);
      const oid = q(`SELECT '${fixture.table}'::regclass::oid`);
      const migration = await session(`safe-${id}`);
      if (safe.concurrent) {
        // A transaction of the application that touched the table makes the CONCURRENTLY
        // operation wait: it is then observed mid-way, holding its lock.
        const app = await session(`app-${id}`);
        await app.send(`BEGIN; UPDATE ${fixture.table} SET v = v WHERE id = 2;`);
        migration.start(safe.held);
        await waitUntil('the CONCURRENTLY operation to wait for the open transaction', () => q(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = ${migration.pid}`) === 'Lock');
        const held = lockOf(migration.pid, oid, true);
        expect(rank(held)).toBeLessThan(rank('ShareLock'));
        expect(writerGetsThrough(writerOf(fixture))).toBe(true);
        await app.send('COMMIT;');
        await migration.send('SELECT 1;');
      } else {
        await migration.send(`BEGIN;\n${safe.held}`);
        const held = lockOf(migration.pid, oid, true);
        expect(rank(held)).toBeLessThan(rank('ShareLock'));
        expect(writerGetsThrough(writerOf(fixture))).toBe(true);
        await migration.send('COMMIT;');
      }
      expect(migration.takeErrors()).not.toMatch(/ERROR/);
    });
  }

  if (fixture.noRewrite) {
    const noRewrite = fixture.noRewrite;
    test('GIVEN the populated table WHEN the safe alternative runs THEN the table is not rewritten (relfilenode)', () => {
      q(fixture.setup);
      const oid = q(`SELECT '${fixture.table}'::regclass::oid`);
      const before = filenode(oid);
      q(noRewrite);
      expect(filenode(oid)).toBe(before);
    });
  }

  if (fixture.appQuery) {
    const app = fixture.appQuery;
    test('GIVEN the running application\'s query WHEN the flagged statement committed THEN it fails; after the safe alternative it works', () => {
      const runApp = () => runUnchecked(program('psql'), ['-X', '-q', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-d', DB, '-v', 'ON_ERROR_STOP=1', '-c', app.query]).status;
      q(fixture.setup);
      q(fixture.flagged);
      expect(runApp()).not.toBe(0);
      if (app.cleanup) q(app.cleanup);
      q(fixture.setup);
      q(app.safe);
      expect(runApp()).toBe(0);
      if (app.cleanup) q(app.cleanup);
    });
  }
});

describe('claims beyond locks', () => {
  test('GIVEN a validated CHECK (total IS NOT NULL) WHEN SET NOT NULL runs THEN PostgreSQL skips the scan (its DEBUG1 message says so); without it, it does not', async () => {
    const fixture = LOCK_FIXTURES.find((f) => f.rule === 'set-not-null-without-check')!;
    const setNotNull = async (prepare: string) => {
      q(fixture.setup);
      if (prepare) q(prepare);
      const s = await session('set-not-null');
      await s.send(`SET client_min_messages = debug1;\n${fixture.flagged}`);
      const messages = s.takeErrors();
      await s.close();
      return messages;
    };
    const proof = /existing constraints on column "snn.total" are sufficient to prove that it does not contain nulls/;
    expect(await setNotNull(`${fixture.safe!.before}\n${fixture.safe!.held}`)).toMatch(proof);
    expect(await setNotNull('')).not.toMatch(proof);
  });

  test('GIVEN an open transaction WHEN CREATE INDEX CONCURRENTLY runs in it THEN PostgreSQL refuses it (concurrently-in-transaction)', async () => {
    q(LOCK_FIXTURES[0].setup);
    const s = await session('concurrently');
    await s.send('BEGIN;\nCREATE INDEX CONCURRENTLY cinc_v2 ON cinc (v);\nROLLBACK;');
    expect(s.takeErrors()).toMatch(/CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
  });
});
