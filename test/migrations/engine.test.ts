import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MigrationLinter } from '../../src/migrations';
import { migrationSource } from '../../src/migrations/lint/sources';

beforeAll(async () => {
  await MigrationLinter.loadParser();
});

const ids = (findings: { ruleId: string; suppressedBecause?: string }[]) => findings.filter((f) => !f.suppressedBecause).map((f) => f.ruleId);

describe('statements, lines and transactions', () => {
  test('GIVEN statements over several lines with comments and a multi-byte literal WHEN linted THEN each finding names the line and column of its statement', () => {
    // GIVEN a file whose second statement starts on line 4, after a comment and a UTF-8 literal
    const sql = "SET lock_timeout = '1s'; SET statement_timeout = '1min';\n-- naïve comment\nUPDATE orders SET note = 'ünïcode' WHERE id = 1;\n  CREATE INDEX i\n    ON orders (a);\n";
    // WHEN linted
    const findings = new MigrationLinter().lintSql(sql, 'x.sql');
    // THEN the CREATE INDEX finding is at line 4, column 3, with its text
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'create-index-non-concurrent', file: 'x.sql', line: 4, column: 3, statement: 'CREATE INDEX i\n    ON orders (a)' })]);
  });

  test('GIVEN SET LOCAL lock_timeout in a transaction WHEN a DDL follows after COMMIT THEN the timeout no longer counts', () => {
    const sql = "BEGIN; SET LOCAL lock_timeout = '1s'; ALTER TABLE a ADD COLUMN b int; COMMIT; ALTER TABLE a ADD COLUMN c int;";
    const findings = new MigrationLinter({ disabledRules: ['statements-after-access-exclusive', 'missing-statement-timeout'] }).lintSql(sql);
    expect(findings.map((f) => [f.ruleId, f.statement])).toEqual([['missing-lock-timeout', 'ALTER TABLE a ADD COLUMN c int']]);
  });

  test('GIVEN a dbmate file WHEN read THEN only the up section is linted, inside the implicit transaction, and lines stay true', () => {
    // GIVEN a dbmate migration with a CONCURRENTLY build and a down section
    const text = '-- migrate:up\nCREATE INDEX CONCURRENTLY i ON orders (a);\n\n-- migrate:down\nDROP INDEX i;\n';
    const source = migrationSource('20240101_add.sql', text)!;
    // WHEN linted
    const findings = new MigrationLinter({ lockTimeoutSet: true, statementTimeoutSet: true }).lintSources([source]);
    // THEN dbmate's transaction makes CONCURRENTLY fail; the down section's DROP INDEX is not linted
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['concurrently-in-transaction', 2]]);
  });

  test('GIVEN a dbmate file with transaction:false WHEN linted THEN CONCURRENTLY is fine', () => {
    const source = migrationSource('x.sql', '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON orders (a);\n-- migrate:down\n')!;
    expect(ids(new MigrationLinter({ lockTimeoutSet: true }).lintSources([source]))).toEqual([]);
  });

  test('GIVEN golang-migrate and Flyway file names WHEN read THEN down and undo files are skipped', () => {
    expect(migrationSource('1_init.down.sql', 'DROP TABLE a;')).toBeUndefined();
    expect(migrationSource('U2__undo.sql', 'DROP TABLE a;')).toBeUndefined();
    expect(migrationSource('V2__add.sql', 'SELECT 1;')).toEqual({ file: 'V2__add.sql', sql: 'SELECT 1;' });
  });

  test('GIVEN a directory of Flyway files WHEN linted THEN files run in version order (V2 before V10)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flyway-'));
    try {
      // GIVEN two flagged migrations whose names sort the other way as plain strings
      fs.writeFileSync(path.join(dir, 'V10__index.sql'), 'CREATE INDEX i ON t (a);');
      fs.writeFileSync(path.join(dir, 'V2__index.sql'), 'CREATE INDEX j ON u (a);');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'CREATE INDEX k ON v (a);');
      // WHEN the directory is linted
      const findings = new MigrationLinter({ lockTimeoutSet: true, statementTimeoutSet: true }).lintFiles([dir]);
      // THEN V2 comes first and non-SQL files are ignored
      expect(findings.map((f) => path.basename(f.file))).toEqual(['V2__index.sql', 'V10__index.sql']);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('suppressions', () => {
  test('GIVEN a suppression naming the rule with a reason WHEN linted THEN the finding is kept but marked suppressed', () => {
    const sql = "SET lock_timeout = '1s'; SET statement_timeout = '1s';\n/* lint-migrations: allow create-index-non-concurrent the table holds ten rows */\nCREATE INDEX i ON orders (a);";
    const [finding] = new MigrationLinter().lintSql(sql);
    expect(finding).toMatchObject({ ruleId: 'create-index-non-concurrent', suppressedBecause: 'the table holds ten rows' });
  });

  test('GIVEN a suppression without a reason, or naming an unknown rule WHEN linted THEN it is an error and suppresses nothing', () => {
    const sql = "SET lock_timeout = '1s'; SET statement_timeout = '1s';\n-- lint-migrations: allow create-index-non-concurrent\nCREATE INDEX i ON orders (a);\n-- lint-migrations: allow no-such-rule because I said so\nSELECT 1;";
    const findings = new MigrationLinter().lintSql(sql);
    expect(findings.map((f) => [f.ruleId, f.line, f.suppressedBecause])).toEqual([
      ['invalid-suppression', 2, undefined],
      ['invalid-suppression', 4, undefined],
      ['create-index-non-concurrent', 3, undefined],
    ]);
  });

  test('GIVEN the marker inside a string literal WHEN linted THEN it is no suppression (comments are scanner tokens)', () => {
    const sql = "SET lock_timeout = '1s'; SET statement_timeout = '1s';\nSELECT '-- lint-migrations: allow create-index-non-concurrent the table is small';\nCREATE INDEX i ON orders (a);";
    expect(ids(new MigrationLinter().lintSql(sql))).toEqual(['create-index-non-concurrent']);
  });
});

describe('config and versions', () => {
  test('GIVEN a constant default WHEN the target is PostgreSQL 10 THEN it rewrites; from 11 it does not', () => {
    const sql = "ALTER TABLE orders ADD COLUMN c text DEFAULT 'x';";
    expect(ids(new MigrationLinter({ targetVersion: 10, enabledRules: ['add-column-volatile-default'] }).lintSql(sql))).toEqual(['add-column-volatile-default']);
    expect(ids(new MigrationLinter({ targetVersion: 11, enabledRules: ['add-column-volatile-default'] }).lintSql(sql))).toEqual([]);
  });

  test('GIVEN PostgreSQL 11 WHEN REINDEX is linted THEN the CONCURRENTLY rule (12+) does not apply', () => {
    expect(ids(new MigrationLinter({ targetVersion: 11, lockTimeoutSet: true, statementTimeoutSet: true }).lintSql('REINDEX TABLE orders;'))).toEqual([]);
  });

  test('GIVEN disabled and enabled rules WHEN linting THEN only the enabled ones report', () => {
    const sql = 'CREATE INDEX i ON orders (a);';
    expect(ids(new MigrationLinter({ disabledRules: ['missing-lock-timeout', 'missing-statement-timeout'] }).lintSql(sql))).toEqual(['create-index-non-concurrent']);
    expect(ids(new MigrationLinter({ enabledRules: ['missing-lock-timeout'] }).lintSql(sql))).toEqual(['missing-lock-timeout']);
  });

  test('GIVEN an unknown rule id or version WHEN the linter is made THEN it says which ids exist', () => {
    expect(() => new MigrationLinter({ disabledRules: ['nope'] })).toThrow(/unknown rule "nope"; rules are create-index-non-concurrent/);
    expect(() => new MigrationLinter({ targetVersion: 7 })).toThrow(/from 9 to 18, got 7/);
  });

  test('GIVEN SQL PostgreSQL cannot parse WHEN linted THEN a syntax-error finding names the line', () => {
    const findings = new MigrationLinter().lintSql('SELECT 1;\nALTER TABLE orders ADD COLUMN;');
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'syntax-error', severity: 'error', line: 2 })]);
    expect(findings[0].message).toMatch(/syntax error at or near ";"/);
  });
});
