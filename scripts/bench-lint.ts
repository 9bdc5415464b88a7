/**
 * `npm run bench:lint`: time to lint 1,000 statements (the corpus's statements, repeated), in
 * process after `loadParser()` and through the child process that synth uses; and, when the
 * `squawk` binary is on PATH (npm `squawk-cli`), the same file through squawk for comparison.
 * Prints figures; asserts nothing.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MigrationLinter } from '../src/migrations';
import { loadParser, parseSources } from '../src/migrations/lint/parser';
import { readMigrationFiles } from '../src/migrations/lint/sources';

const STATEMENTS = Number(process.argv[2] ?? 1000);
const CORPUS = path.join(__dirname, '..', 'test', 'migrations', 'corpus');

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function bench(): Promise<void> {
  // The corpus's statements, each as its own text, repeated until there are STATEMENTS of them.
  const linterChild = new MigrationLinter();
  const sources = readMigrationFiles(['plain', 'dbmate', 'flyway', 'golang-migrate', 'node-pg-migrate'].map((d) => path.join(CORPUS, d)));
  const statementTexts: string[] = [];
  const parsedChild = parseSources(sources.map((s) => s.sql));
  parsedChild.forEach((p, i) => {
    const bytes = Buffer.from(sources[i].sql);
    for (const s of p.statements) statementTexts.push(bytes.subarray(s.location, s.location + s.length).toString('utf8').trim());
  });
  const sql = Array.from({ length: STATEMENTS }, (_, i) => statementTexts[i % statementTexts.length]).join(';\n') + ';\n';
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lint-')), 'bench.sql');
  fs.writeFileSync(file, sql);
  console.log(`${STATEMENTS} statements (${statementTexts.length} distinct from the corpus), ${(sql.length / 1024).toFixed(0)} KiB`);

  let start = process.hrtime.bigint();
  const childFindings = linterChild.lintSql(sql, file);
  console.log(`child process (the synth path, includes node start and WebAssembly load): ${ms(start).toFixed(0)} ms, ${childFindings.length} findings`);

  start = process.hrtime.bigint();
  await loadParser();
  console.log(`loadParser() in process: ${ms(start).toFixed(0)} ms`);
  const linter = new MigrationLinter();
  linter.lintSql(sql, file); // warm-up
  const runs = 5;
  start = process.hrtime.bigint();
  let findings = 0;
  for (let i = 0; i < runs; i++) findings = linter.lintSql(sql, file).length;
  console.log(`in process: ${(ms(start) / runs).toFixed(1)} ms per ${STATEMENTS} statements (mean of ${runs}), ${findings} findings`);

  const squawk = spawnSync('squawk', ['--version'], { encoding: 'utf8' });
  if (squawk.status === 0) {
    start = process.hrtime.bigint();
    try {
      execFileSync('squawk', [file], { stdio: 'ignore' });
    } catch {
      // squawk exits non-zero when it reports violations.
    }
    console.log(`squawk ${squawk.stdout.trim()}: ${ms(start).toFixed(0)} ms for the same file`);
  } else {
    console.log('squawk not on PATH: no comparison (npm i -g squawk-cli)');
  }
  fs.rmSync(path.dirname(file), { recursive: true });
}

void bench();
