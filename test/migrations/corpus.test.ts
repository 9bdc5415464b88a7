import * as fs from 'fs';
import * as path from 'path';
import { MigrationLinter } from '../../src/migrations';

const CORPUS = path.join(__dirname, 'corpus');
const DIRS = ['plain', 'dbmate', 'flyway', 'golang-migrate', 'node-pg-migrate'].map((d) => path.join(CORPUS, d));

beforeAll(async () => {
  await MigrationLinter.loadParser();
});

describe('the migration corpus', () => {
  const findings = () => new MigrationLinter().lintFiles(DIRS);

  test('GIVEN the corpus WHEN linted THEN every file parses and the counts per rule are printed', () => {
    // WHEN the whole corpus is linted
    const all = findings();
    // THEN PostgreSQL's parser accepted every file
    expect(all.filter((f) => f.ruleId === 'syntax-error' || f.ruleId === 'invalid-suppression')).toEqual([]);
    const counts = new Map<string, number>();
    for (const f of all.filter((x) => !x.suppressedBecause)) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    const rows = MigrationLinter.rules().map((r) => `${r.id.padEnd(38)} ${String(counts.get(r.id) ?? 0).padStart(3)}`);
    console.log(`findings per rule over ${new Set(all.map((f) => f.file)).size} files with findings:\n${rows.join('\n')}\nsuppressed: ${all.filter((f) => f.suppressedBecause).length}`);
    // AND every rule is exercised by at least one migration of the corpus
    expect(MigrationLinter.rules().filter((r) => !counts.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  test('GIVEN the files written the safe way WHEN linted THEN they have no finding', () => {
    const safe = findings().filter((f) => path.basename(f.file).includes('safe'));
    expect(safe).toEqual([]);
  });

  test('GIVEN tool layouts WHEN linted THEN down and undo files are skipped and tool transactions count', () => {
    const all = findings();
    const files = new Set(all.map((f) => path.relative(CORPUS, f.file)));
    expect([...files].filter((f) => /down\.sql$|\/U\d/.test(f))).toEqual([]);
    // dbmate wraps the up section in a transaction: CONCURRENTLY fails there (line 3 of the file)
    expect(all).toContainEqual(expect.objectContaining({ ruleId: 'concurrently-in-transaction', file: path.join(CORPUS, 'dbmate', '20240301101500_add_search.sql'), line: 3 }));
    // a table created in the same file is new: its indexes and constraints are not flagged
    expect(all.filter((f) => f.file.endsWith('001_initial_schema.sql') && f.ruleId === 'create-index-non-concurrent')).toEqual([]);
  });

  test('GIVEN the documented suppression in 010_legacy_removal.sql WHEN linted THEN that DROP COLUMN carries its reason', () => {
    const suppressed = findings().filter((f) => f.suppressedBecause);
    expect(suppressed.map((f) => [path.basename(f.file), f.ruleId, f.line, f.suppressedBecause])).toEqual([
      ['010_legacy_removal.sql', 'drop-column', 8, 'the app stopped reading legacy_notes in release 2024.06'],
    ]);
  });

  test('GIVEN the corpus WHEN counted THEN it holds enough statements to matter', () => {
    const sources = DIRS.flatMap((d) => fs.readdirSync(d));
    expect(sources.length).toBeGreaterThanOrEqual(20);
  });
});
