import * as fs from 'fs';
import * as path from 'path';
import { MigrationLinter } from '../../src/migrations';
import { parseSources } from '../../src/migrations/lint/parser';
import { readMigrationFiles } from '../../src/migrations/lint/sources';

/** Every statement of the corpus and of the rules' examples, each as its own text. */
export function corpusStatements(): string[] {
  const corpus = path.join(__dirname, 'corpus');
  const dirs = fs.readdirSync(corpus).map((d) => path.join(corpus, d)).filter((d) => fs.statSync(d).isDirectory());
  const texts = [
    ...readMigrationFiles(dirs).map((s) => s.sql),
    ...MigrationLinter.rules().flatMap((r) => [r.flaggedExample, r.safeExample]),
  ];
  const statements: string[] = [];
  parseSources(texts).forEach((parsed, i) => {
    const bytes = Buffer.from(texts[i]);
    for (const s of parsed.statements) statements.push(bytes.subarray(s.location, s.location + s.length).toString('utf8').trim());
  });
  return statements;
}
