import * as fc from 'fast-check';
import { PostgresServer } from './harness/postgres';
import { stopAllServices } from './harness/processes';
import { PsqlSession } from './harness/psql-session';
import { MigrationLinter } from '../../src/migrations';
import { LOCK_MODES, lockRank, statementLock } from '../../src/migrations/lint/locks';
import { parseSources } from '../../src/migrations/lint/parser';
import { planFiles } from '../../src/migrations/lint/plan';
import { selectRules } from '../../src/migrations/migration-linter';
import { corpusStatements } from '../migrations/corpus-statements';

jest.setTimeout(120_000);

const DB = 'shop';
let server: PostgresServer;
let session: PsqlSession;

// The tables the corpus and the rules' examples name, so that most statements can run.
const SCHEMA = `
CREATE TABLE customers (id bigint PRIMARY KEY, email text, country text, created_at timestamptz, phone text, fax text, tier text, loyalty_points int);
CREATE TABLE categories (id bigint PRIMARY KEY);
CREATE TABLE invoices (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, total numeric, quantity int, name varchar(20), a int, note text,
  legacy_status text, legacy_notes text, placed_at timestamptz, currency text, reference text, invoice_id bigint, public_id uuid);
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint, sku text, quantity int, n int);
CREATE TABLE products (id bigint PRIMARY KEY, sku varchar(64), name text, price_cents bigint, category_id int, review_count int);
CREATE TABLE sessions (id text PRIMARY KEY, customer_id bigint, expires_at timestamptz);
CREATE TABLE order_archive (id bigint);
CREATE TABLE events (id bigint NOT NULL, happened_at timestamptz NOT NULL) PARTITION BY RANGE (happened_at);
CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_created_at_idx ON orders (placed_at);
INSERT INTO customers (id) SELECT g FROM generate_series(1, 100) g;
INSERT INTO orders (id, customer_id) SELECT g, g FROM generate_series(1, 100) g;`;

beforeAll(async () => {
  await MigrationLinter.loadParser();
  server = await PostgresServer.start();
  server.query(`CREATE DATABASE ${DB}`);
  server.query(SCHEMA, DB);
  session = await PsqlSession.open(server, DB, 'property');
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  await stopAllServices();
});

describe('statements the linter accepts, run against PostgreSQL 15', () => {
  test('GIVEN random corpus statements the linter accepts as safe WHEN each runs in a transaction THEN no lock it takes on an existing table is stronger than the linter\'s model of it', async () => {
    // GIVEN the statements with no error or warning finding (timeouts counted as set) that can run in a transaction
    const { rules, options } = selectRules({ lockTimeoutSet: true, statementTimeoutSet: true });
    const accepted = corpusStatements().filter((sql) => {
      const { findings, plan } = planFiles([{ name: 'one.sql', sql }], rules, { ...options, lockTimeoutSet: true, statementTimeoutSet: true });
      return plan[0].transactional && findings.every((f) => f.severity === 'info');
    }).filter((sql) => !/^(BEGIN|COMMIT|START)/i.test(sql));
    const existing = server.query("SELECT string_agg(oid::text, ',') FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'i')", DB);
    const outcome = { ran: 0, failed: 0 };
    // WHEN random ones run, each in a transaction that is rolled back
    await fc.assert(fc.asyncProperty(fc.constantFrom(...accepted), async (sql) => {
      await session.send(`BEGIN;\n${sql};`);
      const errors = session.takeErrors();
      if (/ERROR/.test(errors)) {
        outcome.failed++;
        await session.send('ROLLBACK;');
        session.takeErrors();
        return;
      }
      const held = server.query(`SELECT mode FROM pg_locks WHERE pid = ${session.pid} AND granted AND relation IN (${existing})`, DB).split('\n').filter(Boolean);
      await session.send('ROLLBACK;');
      outcome.ran++;
      const observed = held.sort((a, b) => LOCK_MODES.indexOf(b as any) - LOCK_MODES.indexOf(a as any))[0] ?? 'none';
      const model = statementLock(parseSources([sql])[0].statements[0].stmt).mode;
      // THEN reads (ACCESS SHARE, ROW SHARE) aside, the lock is within the model
      const allowed = Math.max(lockRank(model), lockRank('RowShareLock'));
      expect([sql, observed, lockRank(observed as any) <= allowed]).toEqual([sql, observed, true]);
    }), { numRuns: 120, seed: 15 });
    console.log(`${accepted.length} accepted statements; ${outcome.ran} random runs observed, ${outcome.failed} could not run on the test schema`);
    expect(outcome.ran).toBeGreaterThan(40);
  });
});
