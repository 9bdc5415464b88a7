import * as fs from 'fs';
import * as path from 'path';
import { LintSource } from './engine';

/**
 * Migration files as the migration tools read them. The tools find their sections by line
 * markers, not by SQL syntax, and so does this (the statements themselves go to PostgreSQL's
 * parser). Sections that are not "up" are blanked line for line, so reported lines stay true.
 *
 * - plain `.sql`: every statement, run as psql -f runs them (no implicit transaction);
 * - dbmate: `-- migrate:up [transaction:false]` / `-- migrate:down`; dbmate wraps the up section
 *   in a transaction unless `transaction:false`;
 * - node-pg-migrate SQL: `-- Up Migration` / `-- Down Migration`, run in a transaction;
 * - golang-migrate: `*.up.sql` linted, `*.down.sql` skipped (each file is one Exec, no wrapping);
 * - Flyway: `V<version>__<name>.sql` and `R__<name>.sql` linted in version order, `U...` (undo) skipped.
 */
export function migrationSource(file: string, text: string): LintSource | undefined {
  const base = path.basename(file);
  if (/\.down\.sql$/i.test(base) || /^U\d/.test(base)) return undefined;
  const lines = text.split('\n');
  const dbmateUp = lines.findIndex((l) => /^--\s*migrate:up\b/.test(l));
  if (dbmateUp >= 0) {
    const noTransaction = /\btransaction:false\b/.test(lines[dbmateUp]);
    return { file, sql: keepSection(lines, (l) => /^--\s*migrate:(up|down)\b/.test(l), /^--\s*migrate:up\b/), implicitTransaction: !noTransaction };
  }
  const nodePgUp = lines.findIndex((l) => /^--\s*Up Migration\s*$/i.test(l));
  if (nodePgUp >= 0) {
    return { file, sql: keepSection(lines, (l) => /^--\s*(Up|Down) Migration\s*$/i.test(l), /^--\s*Up Migration\s*$/i), implicitTransaction: true };
  }
  return { file, sql: text };
}

// Keeps the lines of "up" sections (from a marker matching `up` to the next marker), blanks the rest.
function keepSection(lines: string[], isMarker: (line: string) => boolean, up: RegExp): string {
  let keeping = false;
  return lines.map((line) => {
    if (isMarker(line)) {
      keeping = up.test(line);
      return '';
    }
    return keeping ? line : '';
  }).join('\n');
}

/** Files and directories to migration files, each directory's `.sql` files in natural (version) order. */
export function expandPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (fs.statSync(p).isDirectory()) {
      // Flyway runs repeatable migrations (R__) after the versioned ones.
      const key = (name: string) => (/^R__/.test(name) ? `\uffff${name}` : name);
      const entries = fs.readdirSync(p).filter((e) => e.toLowerCase().endsWith('.sql'))
        .sort((a, b) => key(a).localeCompare(key(b), 'en', { numeric: true }));
      files.push(...entries.map((e) => path.join(p, e)));
    } else {
      files.push(p);
    }
  }
  return files;
}

/** Reads migration files (skipping down/undo files). */
export function readMigrationFiles(paths: readonly string[]): LintSource[] {
  return expandPaths(paths).map((file) => migrationSource(file, fs.readFileSync(file, 'utf8'))).filter((s): s is LintSource => s !== undefined);
}
