import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/migrations/cli';

const CORPUS = path.join(__dirname, 'corpus');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-cli-'));
  fs.writeFileSync(path.join(dir, 'index.sql'), "SET lock_timeout = '1s'; SET statement_timeout = '1s';\nCREATE INDEX i ON orders (a);\n");
  fs.writeFileSync(path.join(dir, 'warn.sql'), "SET lock_timeout = '1s'; SET statement_timeout = '1s';\nALTER TABLE orders DROP COLUMN a;\n");
});
afterAll(() => fs.rmSync(dir, { recursive: true }));

describe('lint-migrations CLI', () => {
  test('GIVEN --help WHEN run THEN it prints usage, formats, suppression syntax and exit codes, exit 0', async () => {
    const { code, out } = await cli('lint-migrations', '--help');
    expect(code).toBe(0);
    expect(out).toContain('--format <text|json|github|gitlab>');
    expect(out).toContain('-- lint-migrations: allow <rule-id>');
    expect(out).toContain('Exit codes: 0');
  });

  test('GIVEN a file with an error-level finding WHEN run THEN text names file:line:col, rule and safe way, exit 1', async () => {
    const file = path.join(dir, 'index.sql');
    const { code, out } = await cli('lint-migrations', file);
    expect(code).toBe(1);
    expect(out).toContain(`${file}:2:1: error [create-index-non-concurrent] CREATE INDEX on orders blocks writes`);
    expect(out).toContain('    safe: Build it with CREATE INDEX CONCURRENTLY');
    expect(out).toContain('1 error(s), 0 warning(s), 0 info, 0 suppressed');
  });

  test('GIVEN only warnings WHEN run without and with --max-warnings 0 THEN exit 0, then 1', async () => {
    const file = path.join(dir, 'warn.sql');
    expect((await cli('lint-migrations', file)).code).toBe(0);
    expect((await cli('lint-migrations', '--max-warnings', '0', file)).code).toBe(1);
  });

  test('GIVEN --format github WHEN run THEN each finding is a workflow annotation with escaped properties', async () => {
    const { out } = await cli('lint-migrations', '--format', 'github', path.join(dir, 'index.sql'));
    expect(out).toMatch(/^::error file=.*index\.sql,line=2,col=1,title=create-index-non-concurrent::CREATE INDEX on orders blocks writes to it until the index is built; use CREATE INDEX CONCURRENTLY%0Asafe: Build it/);
  });

  test('GIVEN --format gitlab WHEN run THEN it is a Code Quality report with fingerprints and severities', async () => {
    const { out } = await cli('lint-migrations', '--format', 'gitlab', path.join(dir, 'index.sql'));
    const report = JSON.parse(out);
    expect(report).toEqual([expect.objectContaining({ check_name: 'create-index-non-concurrent', severity: 'major', location: { path: path.join(dir, 'index.sql'), lines: { begin: 2 } } })]);
    expect(report[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  test('GIVEN --format json over the corpus WHEN run THEN findings (suppressed ones with their reason) are JSON', async () => {
    const { code, out } = await cli('lint-migrations', '--format', 'json', path.join(CORPUS, 'plain'));
    expect(code).toBe(1);
    const findings = JSON.parse(out);
    expect(findings.find((f: any) => f.suppressedBecause)).toMatchObject({ ruleId: 'drop-column', line: 8 });
  });

  test('GIVEN a config that disables the rule and sets the version WHEN run THEN the file is clean, exit 0', async () => {
    const config = path.join(dir, 'lint.json');
    fs.writeFileSync(config, JSON.stringify({ targetVersion: 14, disabledRules: ['create-index-non-concurrent'] }));
    const { code, out } = await cli('lint-migrations', '--config', config, path.join(dir, 'index.sql'));
    expect(out).toContain('0 error(s)');
    expect(code).toBe(0);
  });

  test.each([
    [['lint-migrations', '--format', 'xml', 'a.sql'], /--format must be one of text, json, github, gitlab, got "xml"/],
    [['lint-migrations', '--bogus'], /unknown option --bogus/],
    [['lint-migrations'], /no files or directories given/],
    [['lint-migrations', '--target-version', 'fifteen', 'a.sql'], /--target-version needs a whole number, got "fifteen"/],
    [['lint-migrations', '/no/such/file.sql'], /ENOENT/],
    [['migrate', 'a.sql'], /unknown command "migrate"/],
  ])('GIVEN bad usage %j WHEN run THEN it says what is wrong, exit 2', async (argv, message) => {
    const { code, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test('GIVEN a config with an unknown key or rule WHEN run THEN exit 2 naming it', async () => {
    const config = path.join(dir, 'bad.json');
    fs.writeFileSync(config, JSON.stringify({ targetVersoin: 14 }));
    expect(await cli('lint-migrations', '--config', config, 'a.sql')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown keys targetVersoin/) });
    fs.writeFileSync(config, JSON.stringify({ enabledRules: ['no-such-rule'] }));
    expect(await cli('lint-migrations', '--config', config, 'a.sql')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown rule "no-such-rule"/) });
  });

  test('GIVEN --list-rules WHEN run THEN every rule is listed with severity and lock', async () => {
    const { code, out } = await cli('lint-migrations', '--list-rules');
    expect(code).toBe(0);
    expect(out).toContain('vacuum-full\terror\tAccessExclusiveLock (rewrite)\tVACUUM FULL\n');
    expect(out.trim().split('\n').length).toBe(31);
  });
});
