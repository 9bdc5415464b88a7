import { MigrationLinter } from '../../src/migrations';
import { parserLoaded } from '../../src/migrations/lint/parser';

// This file never calls loadParser(): it runs the path synth takes, PostgreSQL's parser in a
// child process, and checks it finds what the in-process parser finds (engine.test.ts).
describe('parsing in a child process (the synchronous path synth uses)', () => {
  test('GIVEN the parser not loaded in-process WHEN SQL is linted THEN the child process parses it with lines and suppressions intact', () => {
    // GIVEN no loaded parser
    expect(parserLoaded()).toBe(false);
    const sql = "SET lock_timeout = '1s'; SET statement_timeout = '1s';\n-- lint-migrations: allow drop-column release 41 stopped reading it\nALTER TABLE a DROP COLUMN b;\nCREATE INDEX i ON orders (a);\nSELECT 'é';";
    // WHEN linted (timed: the figure is printed, not asserted)
    const started = process.hrtime.bigint();
    const findings = new MigrationLinter().lintSql(sql, 'm.sql');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`lint through a child process: ${ms.toFixed(0)} ms`);
    // THEN the suppressed DROP COLUMN and the CREATE INDEX are found on their lines
    expect(findings.map((f) => [f.ruleId, f.line, f.suppressedBecause])).toEqual([
      ['drop-column', 3, 'release 41 stopped reading it'],
      ['create-index-non-concurrent', 4, undefined],
    ]);
  });

  test('GIVEN several sources WHEN linted at once THEN one child process parses them all, a syntax error in one leaves the others alone', () => {
    const findings = new MigrationLinter({ lockTimeoutSet: true, statementTimeoutSet: true }).lintSources([
      { file: 'a.sql', sql: 'ALTER TABLE;' },
      { file: 'b.sql', sql: 'VACUUM FULL orders;' },
    ]);
    expect(findings.map((f) => [f.file, f.ruleId])).toEqual([['a.sql', 'syntax-error'], ['b.sql', 'vacuum-full']]);
  });
});
