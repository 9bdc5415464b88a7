/**
 * For each linter rule that claims a lock: a populated table, the statement the rule flags and
 * the alternative it suggests, run by migration-locks.test.ts against PostgreSQL 15.
 */
export interface LockFixture {
  readonly rule: string;
  /** The table whose lock and writers are observed. */
  readonly table: string;
  /** Creates and fills the tables (drops them first: phases start afresh). */
  readonly setup: string;
  /** The flagged statement(s). */
  readonly flagged: string;
  /**
   * How the flagged statement is observed: `hold` runs it in an open transaction and looks at the
   * granted lock; `queue` (statements that cannot run in a transaction block, or that fail) lets a
   * reader hold ACCESS SHARE and looks at the lock the statement waits for.
   */
  readonly observe?: 'hold' | 'queue';
  /** The flagged statement fails on a populated table with this error. */
  readonly fails?: RegExp;
  /** A writer of the running application (default: UPDATE of row 1). */
  readonly writer?: string;
  /** The safe alternative: `before` runs first (autocommit), then `held` is observed. */
  readonly safe?: { readonly before?: string; readonly held: string; readonly concurrent?: boolean };
  /** Safe statements that must not rewrite the table (rules that claim a rewrite). */
  readonly noRewrite?: string;
  /** A query of the running application: fails once the flagged statement committed, works after the safe one. */
  readonly appQuery?: { readonly query: string; readonly safe: string; readonly cleanup?: string };
  /** Lint the flagged statement as it runs in the test: inside BEGIN ... COMMIT. */
  readonly lintInTransaction?: boolean;
}

/** A table of 20,000 rows: id, v, name varchar(20), total. */
export function table(name: string, extra = ''): string {
  return `DROP TABLE IF EXISTS ${name} CASCADE;
CREATE TABLE ${name} (id bigint PRIMARY KEY, v int NOT NULL DEFAULT 0, name varchar(20), total numeric${extra});
INSERT INTO ${name} SELECT g, g, 'n' || g, g FROM generate_series(1, 20000) g;`;
}

export const LOCK_FIXTURES: readonly LockFixture[] = [
  {
    rule: 'create-index-non-concurrent',
    table: 'cinc',
    setup: table('cinc'),
    flagged: 'CREATE INDEX cinc_v ON cinc (v);',
    safe: { held: 'CREATE INDEX CONCURRENTLY cinc_v ON cinc (v);', concurrent: true },
  },
  {
    rule: 'drop-index-non-concurrent',
    table: 'dinc',
    setup: `${table('dinc')}\nCREATE INDEX dinc_v ON dinc (v);`,
    flagged: 'DROP INDEX dinc_v;',
    safe: { held: 'DROP INDEX CONCURRENTLY dinc_v;', concurrent: true },
  },
  {
    rule: 'add-check-not-valid',
    table: 'acnv',
    setup: table('acnv'),
    flagged: 'ALTER TABLE acnv ADD CONSTRAINT acnv_v CHECK (v >= 0);',
    safe: { before: 'ALTER TABLE acnv ADD CONSTRAINT acnv_v CHECK (v >= 0) NOT VALID;', held: 'ALTER TABLE acnv VALIDATE CONSTRAINT acnv_v;' },
  },
  {
    rule: 'add-foreign-key-not-valid',
    table: 'afk',
    setup: `${table('afkp')}\n${table('afk')}`,
    flagged: 'ALTER TABLE afk ADD CONSTRAINT afk_fk FOREIGN KEY (v) REFERENCES afkp (id);',
    safe: { before: 'ALTER TABLE afk ADD CONSTRAINT afk_fk FOREIGN KEY (v) REFERENCES afkp (id) NOT VALID;', held: 'ALTER TABLE afk VALIDATE CONSTRAINT afk_fk;' },
  },
  {
    rule: 'add-unique-without-index',
    table: 'auwi',
    setup: table('auwi'),
    flagged: 'ALTER TABLE auwi ADD CONSTRAINT auwi_name UNIQUE (name);',
    safe: { held: 'CREATE UNIQUE INDEX CONCURRENTLY auwi_name ON auwi (name);', concurrent: true },
  },
  {
    rule: 'set-not-null-without-check',
    table: 'snn',
    setup: table('snn'),
    flagged: 'ALTER TABLE snn ALTER COLUMN total SET NOT NULL;',
    safe: { before: 'ALTER TABLE snn ADD CONSTRAINT snn_total CHECK (total IS NOT NULL) NOT VALID;', held: 'ALTER TABLE snn VALIDATE CONSTRAINT snn_total;' },
  },
  {
    rule: 'add-column-volatile-default',
    table: 'acvd',
    setup: table('acvd'),
    flagged: 'ALTER TABLE acvd ADD COLUMN r float8 DEFAULT random();',
    noRewrite: "ALTER TABLE acvd ADD COLUMN r float8;\nALTER TABLE acvd ALTER COLUMN r SET DEFAULT random();\nALTER TABLE acvd ADD COLUMN c text DEFAULT 'constant';",
  },
  {
    rule: 'add-column-stored-generated',
    table: 'acsg',
    setup: table('acsg'),
    flagged: 'ALTER TABLE acsg ADD COLUMN g bigint GENERATED ALWAYS AS (v * 2) STORED;',
    noRewrite: 'ALTER TABLE acsg ADD COLUMN g bigint;',
  },
  {
    rule: 'add-column-not-null-without-default',
    table: 'acnn',
    setup: table('acnn'),
    flagged: 'ALTER TABLE acnn ADD COLUMN currency text NOT NULL;',
    observe: 'queue',
    fails: /column "currency" of relation "acnn" contains null values/,
    noRewrite: "ALTER TABLE acnn ADD COLUMN currency text NOT NULL DEFAULT 'EUR';",
  },
  {
    rule: 'alter-column-type',
    table: 'act',
    setup: table('act'),
    flagged: 'ALTER TABLE act ALTER COLUMN v TYPE bigint;',
    // varchar(20) to text is binary coercible: the rule lets it pass, and rightly.
    noRewrite: 'ALTER TABLE act ALTER COLUMN name TYPE text;\nALTER TABLE act ADD COLUMN v_big bigint;',
  },
  {
    rule: 'rename-column',
    table: 'rc',
    setup: table('rc'),
    flagged: 'ALTER TABLE rc RENAME COLUMN total TO amount;',
    appQuery: { query: 'SELECT total FROM rc WHERE id = 1;', safe: 'ALTER TABLE rc ADD COLUMN amount numeric;' },
  },
  {
    rule: 'rename-table',
    table: 'rt',
    setup: `DROP TABLE IF EXISTS rt_renamed CASCADE;\n${table('rt')}`,
    flagged: 'ALTER TABLE rt RENAME TO rt_renamed;',
    appQuery: { query: 'INSERT INTO rt (id, v) VALUES (100001, 1);', safe: 'BEGIN;\nALTER TABLE rt RENAME TO rt_renamed;\nCREATE VIEW rt AS SELECT * FROM rt_renamed;\nCOMMIT;', cleanup: 'DROP TABLE IF EXISTS rt_renamed CASCADE;' },
  },
  { rule: 'drop-column', table: 'dc', setup: table('dc'), flagged: 'ALTER TABLE dc DROP COLUMN name;' },
  { rule: 'drop-table', table: 'dt', setup: table('dt'), flagged: 'DROP TABLE dt;' },
  {
    // The observed table is the child, which the statement does not name.
    rule: 'truncate-cascade',
    table: 'tcc',
    setup: `${table('tcp')}\n${table('tcc', ', parent_id bigint REFERENCES tcp (id)')}`,
    flagged: 'TRUNCATE tcp CASCADE;',
  },
  {
    rule: 'reindex-non-concurrent',
    table: 'ri',
    setup: `${table('ri')}\nCREATE INDEX ri_v ON ri (v);`,
    flagged: 'REINDEX TABLE ri;',
    safe: { held: 'REINDEX TABLE CONCURRENTLY ri;', concurrent: true },
  },
  {
    rule: 'detach-partition-non-concurrent',
    table: 'dp',
    setup: `DROP TABLE IF EXISTS dp, dp_1 CASCADE;
CREATE TABLE dp (id bigint NOT NULL, v int NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE dp_1 PARTITION OF dp FOR VALUES FROM (1) TO (10001);
CREATE TABLE dp_2 PARTITION OF dp FOR VALUES FROM (10001) TO (20001);
INSERT INTO dp SELECT g, g FROM generate_series(1, 20000) g;`,
    flagged: 'ALTER TABLE dp DETACH PARTITION dp_1;',
    writer: 'UPDATE dp SET v = v + 1 WHERE id = 15000;',
    safe: { held: 'ALTER TABLE dp DETACH PARTITION dp_1 CONCURRENTLY;', concurrent: true },
  },
  {
    // Found by the contract property test: the linter's lock model had this as no lock.
    rule: 'create-partition-of',
    table: 'cpo',
    setup: `DROP TABLE IF EXISTS cpo, cpo_1, cpo_2, cpo_3 CASCADE;
CREATE TABLE cpo (id bigint NOT NULL, v int NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE cpo_1 PARTITION OF cpo FOR VALUES FROM (1) TO (20001);
INSERT INTO cpo SELECT g, g FROM generate_series(1, 20000) g;`,
    flagged: 'CREATE TABLE cpo_2 PARTITION OF cpo FOR VALUES FROM (20001) TO (40001);',
    safe: { before: 'CREATE TABLE cpo_3 (LIKE cpo INCLUDING DEFAULTS INCLUDING CONSTRAINTS);', held: 'ALTER TABLE cpo ATTACH PARTITION cpo_3 FOR VALUES FROM (40001) TO (60001);' },
  },
  {
    rule: 'vacuum-full',
    table: 'vf',
    setup: table('vf'),
    flagged: 'VACUUM FULL vf;',
    observe: 'queue',
    noRewrite: 'VACUUM (ANALYZE) vf;',
  },
  {
    rule: 'cluster',
    table: 'cl',
    setup: `${table('cl')}\nCREATE INDEX cl_v ON cl (v);`,
    flagged: 'CLUSTER cl USING cl_v;',
    noRewrite: 'ANALYZE cl;',
  },
  {
    rule: 'statements-after-access-exclusive',
    table: 'saae',
    setup: `${table('saae')}\n${table('saae_other')}`,
    flagged: 'ALTER TABLE saae ADD COLUMN note text;\nUPDATE saae_other SET v = v + 1 WHERE id = 1;',
    lintInTransaction: true,
    safe: { before: 'ALTER TABLE saae ADD COLUMN note text;', held: 'UPDATE saae_other SET v = v + 1 WHERE id = 1;' },
  },
  {
    rule: 'update-without-where',
    table: 'uww',
    setup: table('uww'),
    flagged: 'UPDATE uww SET total = total + 1;',
    safe: { held: 'UPDATE uww SET total = total + 1 WHERE id >= 100 AND id < 200;' },
  },
  {
    rule: 'delete-without-where',
    table: 'dww',
    setup: table('dww'),
    flagged: 'DELETE FROM dww;',
    safe: { held: 'DELETE FROM dww WHERE id >= 100 AND id < 200;' },
  },
];
