import * as fc from 'fast-check';
import { corpusStatements } from './corpus-statements';
import { MigrationLinter } from '../../src/migrations';

let statements: string[];
beforeAll(async () => {
  await MigrationLinter.loadParser();
  statements = corpusStatements();
});

// Pieces that shake the input: comments (suppressions among them, valid or not), transaction
// control, settings, and cuts anywhere (unterminated strings and comments included).
const NOISE = ['BEGIN', 'COMMIT', 'ROLLBACK', "SET lock_timeout = '1s'", 'RESET lock_timeout', "SET LOCAL statement_timeout = '0'",
  '-- lint-migrations: allow create-index-non-concurrent the table is tiny', '/* lint-migrations: allow */', '-- lint-migrations: allow nope x y z w v',
  "SELECT '-- lint-migrations: allow vacuum-full inside a string'", '$$ unterminated', "'unterminated", '/* unterminated'];

describe('the linter on random statements', () => {
  test('GIVEN random sequences of corpus statements, noise and cuts WHEN linted THEN it never throws and every finding points into the file', () => {
    const linter = new MigrationLinter();
    const known = new Set([...MigrationLinter.rules().map((r) => r.id), 'syntax-error', 'invalid-suppression']);
    let findings = 0;
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.nat().map((i) => statements[i % statements.length]), fc.constantFrom(...NOISE)), { maxLength: 12 }),
      fc.option(fc.nat(), { nil: undefined }),
      (parts, cut) => {
        let sql = parts.join(';\n');
        if (cut !== undefined) sql = sql.slice(0, cut % (sql.length + 1));
        const lines = sql.split('\n').length;
        for (const f of linter.lintSql(sql, 'random.sql')) {
          findings++;
          expect(known.has(f.ruleId)).toBe(true);
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lines);
          expect(f.message.length).toBeGreaterThan(0);
        }
      },
    ), { numRuns: 300, seed: 17 });
    console.log(`${statements.length} corpus statements; ${findings} findings over 300 random files`);
    expect(findings).toBeGreaterThan(100);
  });
});
