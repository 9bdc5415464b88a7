import { MigrationLinter } from '../../src/migrations';

// Per rule: statements it must flag and statements it must leave alone (each on an existing
// table unless the case creates it). Timeouts are set first so the timeout rules stay quiet.
const CASES: Record<string, { flagged: string[]; safe: string[] }> = {
  'create-index-non-concurrent': {
    flagged: ['CREATE INDEX i ON orders (a);', 'CREATE UNIQUE INDEX i ON s.orders (a, b);'],
    safe: ['CREATE INDEX CONCURRENTLY i ON orders (a);', 'CREATE TABLE fresh (a int); CREATE INDEX i ON fresh (a);'],
  },
  'drop-index-non-concurrent': {
    flagged: ['DROP INDEX orders_a_idx;', 'DROP INDEX IF EXISTS s.orders_a_idx;'],
    safe: ['DROP INDEX CONCURRENTLY orders_a_idx;', 'DROP TABLE IF EXISTS x; -- lint-migrations: allow drop-table not an index at all'],
  },
  'concurrently-in-transaction': {
    flagged: ['BEGIN; CREATE INDEX CONCURRENTLY i ON orders (a); COMMIT;', 'START TRANSACTION; DROP INDEX CONCURRENTLY i; COMMIT;', 'BEGIN; REINDEX INDEX CONCURRENTLY i; COMMIT;', 'BEGIN; ALTER TABLE p DETACH PARTITION c CONCURRENTLY; COMMIT;'],
    safe: ['BEGIN; COMMIT; CREATE INDEX CONCURRENTLY i ON orders (a);', 'BEGIN; CREATE INDEX i ON orders (a); COMMIT;'],
  },
  'add-check-not-valid': {
    flagged: ['ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0);', 'ALTER TABLE orders ADD CHECK (total > 0);'],
    safe: ['ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;', 'ALTER TABLE orders VALIDATE CONSTRAINT c;', 'CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);'],
  },
  'add-foreign-key-not-valid': {
    flagged: ['ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id);'],
    safe: ['ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;', 'ALTER TABLE orders VALIDATE CONSTRAINT fk;'],
  },
  'add-unique-without-index': {
    flagged: ['ALTER TABLE orders ADD CONSTRAINT u UNIQUE (reference);', 'ALTER TABLE orders ADD PRIMARY KEY (id);'],
    safe: ['ALTER TABLE orders ADD CONSTRAINT u UNIQUE USING INDEX u_idx;', 'ALTER TABLE orders ADD CONSTRAINT pk PRIMARY KEY USING INDEX pk_idx;'],
  },
  'set-not-null-without-check': {
    flagged: ['ALTER TABLE orders ALTER COLUMN a SET NOT NULL;', 'ALTER TABLE orders ADD CONSTRAINT c CHECK (a IS NOT NULL) NOT VALID; ALTER TABLE orders ALTER COLUMN a SET NOT NULL;'],
    safe: [
      'ALTER TABLE orders ADD CONSTRAINT c CHECK (a IS NOT NULL) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT c; ALTER TABLE orders ALTER COLUMN a SET NOT NULL;',
      'ALTER TABLE orders ALTER COLUMN a DROP NOT NULL;',
    ],
  },
  'add-column-volatile-default': {
    flagged: ['ALTER TABLE orders ADD COLUMN u uuid DEFAULT gen_random_uuid();', 'ALTER TABLE orders ADD COLUMN r float8 DEFAULT random() * 2;', 'ALTER TABLE orders ADD COLUMN n bigserial;', 'ALTER TABLE orders ADD COLUMN x int DEFAULT my_function();'],
    safe: ["ALTER TABLE orders ADD COLUMN c text DEFAULT 'EUR';", 'ALTER TABLE orders ADD COLUMN t timestamptz DEFAULT now();', 'ALTER TABLE orders ADD COLUMN t timestamptz DEFAULT CURRENT_TIMESTAMP;', 'ALTER TABLE orders ADD COLUMN c int;', 'ALTER TABLE orders ADD COLUMN c int DEFAULT NULL;'],
  },
  'add-column-stored-generated': {
    flagged: ['ALTER TABLE orders ADD COLUMN c bigint GENERATED ALWAYS AS (total * 100) STORED;'],
    safe: ['ALTER TABLE orders ADD COLUMN c bigint;', 'CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);'],
  },
  'add-column-not-null-without-default': {
    flagged: ['ALTER TABLE orders ADD COLUMN currency text NOT NULL;'],
    safe: ["ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';", 'ALTER TABLE orders ADD COLUMN currency text;', 'ALTER TABLE orders ADD COLUMN id2 bigint NOT NULL GENERATED ALWAYS AS IDENTITY;'],
  },
  'alter-column-type': {
    flagged: ['ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;', 'ALTER TABLE orders ALTER COLUMN name TYPE varchar(10);', 'ALTER TABLE orders ALTER COLUMN a TYPE int USING a::int;'],
    safe: ['ALTER TABLE orders ALTER COLUMN name TYPE text;', 'ALTER TABLE orders ALTER COLUMN name TYPE varchar;'],
  },
  'rename-column': {
    flagged: ['ALTER TABLE orders RENAME COLUMN total TO amount;'],
    safe: ['ALTER TABLE orders RENAME CONSTRAINT a TO b;', 'CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b;'],
  },
  'rename-table': {
    flagged: ['ALTER TABLE orders RENAME TO purchases;'],
    safe: ['ALTER INDEX orders_idx RENAME TO purchases_idx;', 'CREATE TABLE t (a int); ALTER TABLE t RENAME TO u;'],
  },
  'drop-column': {
    flagged: ['ALTER TABLE orders DROP COLUMN legacy;', 'ALTER TABLE orders DROP COLUMN IF EXISTS legacy CASCADE;'],
    safe: ['ALTER TABLE orders DROP CONSTRAINT c;'],
  },
  'drop-table': {
    flagged: ['DROP TABLE order_archive;', 'DROP TABLE IF EXISTS a, b CASCADE;'],
    safe: ['DROP VIEW v;', 'CREATE TABLE t (a int); DROP TABLE t;'],
  },
  'truncate-cascade': {
    flagged: ['TRUNCATE customers CASCADE;'],
    safe: ['TRUNCATE order_lines, orders;', 'TRUNCATE customers RESTRICT;'],
  },
  'reindex-non-concurrent': {
    flagged: ['REINDEX TABLE orders;', 'REINDEX INDEX orders_idx;'],
    safe: ['REINDEX TABLE CONCURRENTLY orders;', 'REINDEX (CONCURRENTLY) INDEX orders_idx;'],
  },
  'detach-partition-non-concurrent': {
    flagged: ['ALTER TABLE events DETACH PARTITION events_2023;'],
    safe: ['ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;', 'ALTER TABLE events DETACH PARTITION events_2023 FINALIZE;'],
  },
  'create-partition-of': {
    flagged: ["CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');"],
    safe: [
      "CREATE TABLE events_2025 (LIKE events); ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
      "CREATE TABLE ev (id int, at date) PARTITION BY RANGE (at); CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
    ],
  },
  'vacuum-full': {
    flagged: ['VACUUM FULL orders;', 'VACUUM (FULL, ANALYZE) orders;'],
    safe: ['VACUUM orders;', 'VACUUM (ANALYZE) orders;', 'ANALYZE orders;'],
  },
  'cluster': {
    flagged: ['CLUSTER orders USING orders_idx;', 'CLUSTER orders;'],
    safe: ['ALTER TABLE orders SET WITHOUT CLUSTER;'],
  },
  'missing-lock-timeout': {
    flagged: ['RESET lock_timeout; ALTER TABLE orders ADD COLUMN note text;', "BEGIN; SET LOCAL lock_timeout = '1s'; COMMIT; RESET lock_timeout; CREATE INDEX i ON orders (a);"],
    safe: ['ALTER TABLE orders ADD COLUMN note text;', 'RESET lock_timeout; CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN b int;', 'RESET lock_timeout; UPDATE orders SET a = 1 WHERE id = 1;'],
  },
  'missing-statement-timeout': {
    flagged: ['RESET statement_timeout; CREATE INDEX i ON orders (a);', 'SET statement_timeout = 0; ALTER TABLE orders ADD COLUMN note text;'],
    safe: ['CREATE INDEX i ON orders (a);', 'RESET statement_timeout; CREATE INDEX CONCURRENTLY i ON orders (a);'],
  },
  'statements-after-access-exclusive': {
    flagged: ["BEGIN; ALTER TABLE orders ADD COLUMN note text; UPDATE customers SET tier = 'gold' WHERE id = 1; COMMIT;"],
    safe: ["BEGIN; ALTER TABLE orders ADD COLUMN note text; COMMIT; UPDATE customers SET tier = 'gold' WHERE id = 1;", 'ALTER TABLE orders ADD COLUMN note text; SELECT 1;'],
  },
  'update-without-where': {
    flagged: ["UPDATE orders SET currency = 'EUR';"],
    safe: ["UPDATE orders SET currency = 'EUR' WHERE id < 1000 AND currency IS NULL;"],
  },
  'delete-without-where': {
    flagged: ['DELETE FROM sessions;'],
    safe: ['DELETE FROM sessions WHERE expires_at < now();'],
  },
  'foreign-key-without-index': {
    flagged: ['CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));', 'ALTER TABLE lines ADD CONSTRAINT fk FOREIGN KEY (order_id, n) REFERENCES orders (id, n) NOT VALID; CREATE INDEX CONCURRENTLY i ON lines (n, order_id);'],
    safe: ['CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id)); CREATE INDEX i ON lines (order_id);', 'CREATE TABLE lines (order_id bigint PRIMARY KEY REFERENCES orders (id));'],
  },
  'prefer-bigint-keys': {
    flagged: ['CREATE TABLE t (id serial PRIMARY KEY);', 'CREATE TABLE t (id int, PRIMARY KEY (id));'],
    safe: ['CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n int);'],
  },
  'prefer-timestamptz': {
    flagged: ['CREATE TABLE t (at timestamp);', 'ALTER TABLE orders ADD COLUMN at timestamp without time zone;', 'ALTER TABLE orders ALTER COLUMN at TYPE timestamp;'],
    safe: ['CREATE TABLE t (at timestamptz, d date);'],
  },
  'prefer-text-over-varchar': {
    flagged: ['CREATE TABLE t (email varchar(255));', 'ALTER TABLE orders ADD COLUMN e character varying(10);'],
    safe: ['CREATE TABLE t (email text, v varchar);'],
  },
  'avoid-char-n': {
    flagged: ['CREATE TABLE t (country char(2));', 'CREATE TABLE t (c character(3));'],
    safe: ['CREATE TABLE t (country text, c "char");'],
  },
};

const PREAMBLE = "SET lock_timeout = '2s'; SET statement_timeout = '1min';\n";

beforeAll(async () => {
  await MigrationLinter.loadParser();
});

const ruleIds = (sql: string) => new MigrationLinter().lintSql(PREAMBLE + sql).map((f) => f.ruleId);

describe('every rule has cases and its documented examples behave', () => {
  test('GIVEN the rule set WHEN listed THEN there are at least 20 rules, each with unit cases here', () => {
    const ids = MigrationLinter.rules().map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
  });

  test.each(MigrationLinter.rules().map((r) => [r.id, r] as const))('GIVEN rule %s WHEN its own flagged and safe examples are linted THEN only the flagged one is flagged by it', (id, rule) => {
    // (no preamble: the timeout rules' examples are about the timeouts themselves)
    const lint = (sql: string) => new MigrationLinter().lintSql(sql).filter((f) => !f.suppressedBecause).map((f) => f.ruleId);
    expect(lint(rule.flaggedExample)).toContain(id);
    expect(lint(rule.safeExample)).not.toContain(id);
  });
});

describe.each(Object.entries(CASES))('rule %s', (id, { flagged, safe }) => {
  test.each(flagged)('GIVEN %s WHEN linted THEN the rule flags it', (sql) => {
    expect(ruleIds(sql)).toContain(id);
  });
  test.each(safe)('GIVEN %s WHEN linted THEN the rule does not flag it', (sql) => {
    expect(ruleIds(sql)).not.toContain(id);
  });
});
