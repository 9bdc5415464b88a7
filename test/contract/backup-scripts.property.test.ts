import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { DumpFormat, DumpStorage, PgDumpBackup, RestoreCheck, RestoreSource, RestoreTest, SecretKeyRef } from '../../src';
import { PostgresServer } from './harness/postgres';
import { run, runUnchecked, serviceTempDir, stopAllServices, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { awkwardStrings } from '../helpers/awkward';
import { CLEAR_ERROR } from '../helpers/property';
import { synthValidated } from '../helpers/synth';

jest.setTimeout(600_000);
afterAll(stopAllServices);

const PATH = `/usr/lib/postgresql/15/bin:${process.env.PATH}`;

/** What happened to each generated case: refused by the library, or synthesized and then run. */
class Outcomes {
  public cases = 0;
  public refusedClearly = 0;
  public synthesized = 0;
  public programAccepted = 0;
  public readonly programRefused: string[] = [];

  public print(what: string): void {
    console.log(`${what}: ${this.cases} cases, ${this.synthesized} synthesized, ${this.refusedClearly} refused with a clear error, `
      + `${this.programAccepted} accepted by the real programs, ${this.programRefused.length} refused by them`);
  }
}

/** Builds the case; counts a clear refusal, fails on any other error; returns the synthesized chart's objects. */
function synthOrRefuse(outcomes: Outcomes, build: (chart: Chart) => void): any[] | undefined {
  outcomes.cases++;
  const chart = Testing.chart();
  try {
    build(chart);
  } catch (e) {
    expect((e as Error).message).toMatch(CLEAR_ERROR);
    outcomes.refusedClearly++;
    return undefined;
  }
  outcomes.synthesized++;
  return synthValidated(chart);
}

function shellcheck(dir: string, text: string): string {
  const file = path.join(dir, 'shellcheck.sh');
  writeServiceFile(file, text, 0o700);
  const result = runUnchecked(program('shellcheck'), ['--severity=style', file]);
  return `${result.stdout}${result.stderr}`;
}

/**
 * A sample of accepted PgDumpBackup and RestoreTest props, synthesized by the library, whose
 * scripts (taken from the synthesized ConfigMaps) are then checked by shellcheck and run by bash
 * against PostgreSQL 15, pg_dump and pg_restore. A case the library accepts and a program refuses
 * fails the test.
 */
describe('backup scripts over arbitrary props, run by the real programs', () => {
  let server: PostgresServer;
  const work = serviceTempDir('script-property');

  beforeAll(async () => {
    server = await PostgresServer.start();
  });
  afterAll(async () => {
    await server?.stop();
    work.remove();
  });

  const scriptIn = (manifests: any[], key: string): string => manifests.find((m) => m.kind === 'ConfigMap' && m.data?.[key]).data[key];
  const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: bad, weight: 1 });
  const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

  test('PgDumpBackup: every accepted case dumps, verifies and prunes for real', () => {
    const outcomes = new Outcomes();
    const cases = fc.sample(fc.record({
      database: fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,20}$/), weight: 6 }, { arbitrary: awkwardStrings({ minLength: 1, maxLength: 8 }), weight: 1 }),
      directory: fc.boolean(),
      jobs: mostly(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 65)),
      compressionLevel: mostly(fc.integer({ min: 0, max: 9 }), fc.constantFrom(-1, 10)),
      keep: mostly(fc.integer({ min: 1, max: 3 }), fc.constant(0)),
    }).map((p) => ({ ...p, jobs: p.directory ? p.jobs : 1 })), { numRuns: 30, seed: 1010 });
    cases.forEach((p, n) => {
      const manifests = synthOrRefuse(outcomes, (chart) => new PgDumpBackup(chart, 'Dump', {
        connection: { host: 'db', database: p.database, user: 'backup', password: SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password') },
        storage: DumpStorage.existingClaim('dumps'),
        format: p.directory ? DumpFormat.DIRECTORY : DumpFormat.CUSTOM,
        jobs: p.jobs,
        compressionLevel: p.compressionLevel,
        keep: p.keep,
      }));
      if (!manifests) return;
      const script = scriptIn(manifests, 'pg-dump.sh');
      const dir = path.join(work.path, `dump-${n}`);
      const dumps = path.join(dir, 'backups');
      run('/bin/mkdir', ['-p', dumps, path.join(dir, 'tmp')]);
      // The script as the pod runs it: its own paths rewritten onto this case's directory.
      const local = script.replace("dir='/backups'", `dir='${dumps}'`).replace("'/tmp/pg-dump.toc'", `'${dir}/tmp/pg-dump.toc'`);
      const findings = shellcheck(dir, script);
      runUnchecked(program('psql'), ['-h', server.socketDir, '-p', String(server.port), '-U', 'postgres', '-c', `CREATE DATABASE ${quoteIdent(p.database)}`]);
      server.query('CREATE TABLE IF NOT EXISTS t (id int); INSERT INTO t VALUES (1)', p.database);
      const env = { PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: 'postgres', PGDATABASE: p.database, PATH };
      const file = path.join(dir, 'pg-dump.sh');
      writeServiceFile(file, local, 0o700);
      const results = [1, 2].map(() => {
        const r = runUnchecked('/bin/bash', [file], { env });
        run('/bin/sleep', ['1.1']); // distinct stamps
        return r;
      });
      const kept = fs.readdirSync(dumps);
      const ok = findings === '' && results.every((r) => r.status === 0) && kept.length === Math.min(2, p.keep);
      if (ok) outcomes.programAccepted++;
      else outcomes.programRefused.push(`${JSON.stringify(p)}: ${findings}${results.map((r) => `${r.status} ${r.stderr}`).join('\n')} kept ${kept}`);
    });
    outcomes.print('PgDumpBackup');
    expect(outcomes.programRefused).toEqual([]);
    expect(outcomes.refusedClearly).toBeGreaterThan(2);
    expect(outcomes.programAccepted).toBeGreaterThan(10);
  });

  test('RestoreTest: every accepted case restores a real dump and ends in a valid report', () => {
    const outcomes = new Outcomes();
    // One real dump of a database with awkward names to restore from.
    const dumps = path.join(work.path, 'restore-dumps');
    run('/bin/mkdir', ['-p', dumps]);
    server.query('CREATE DATABASE shop');
    server.query('CREATE TABLE "Orders" (id int, "At" timestamptz DEFAULT now()); INSERT INTO "Orders" SELECT generate_series(1, 10); CREATE TABLE "user" (id int)', 'shop');
    run(program('pg_dump'), ['-h', server.socketDir, '-p', String(server.port), '-U', 'postgres', '--format=custom', `--file=${path.join(dumps, 'shop-20261124T010000Z.dump')}`, 'shop']);
    const table = fc.oneof({ arbitrary: fc.constantFrom('Orders', 'user', 'missing', 'public.Orders'), weight: 6 }, { arbitrary: awkwardStrings({ minLength: 1, maxLength: 6 }), weight: 1 });
    // Thunks: a factory's own refusal must happen inside the case, where it is counted.
    const check: fc.Arbitrary<() => RestoreCheck> = fc.oneof(
      table.map((t) => () => RestoreCheck.tableExists(t)),
      fc.tuple(table, fc.integer({ min: -1, max: 20 })).map(([t, n]) => () => RestoreCheck.minRows(t, n)),
      fc.tuple(table, fc.constantFrom('At', 'missing', 'a b')).map(([t, c]) => () => RestoreCheck.freshness(t, c)),
      fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), awkwardStrings({ minLength: 1, maxLength: 12 })).map(([name, text]) =>
        () => RestoreCheck.query(name, `SELECT '${text.replace(/'/g, "''")}'`, text)),
      fc.constant(() => RestoreCheck.integrity()),
    );
    const cases = fc.sample(fc.record({
      checks: fc.array(check, { minLength: 1, maxLength: 4 }),
      database: fc.oneof({ arbitrary: fc.constantFrom('shop'), weight: 6 }, { arbitrary: awkwardStrings({ minLength: 1, maxLength: 6 }), weight: 1 }),
    }), { numRuns: 15, seed: 1016 });
    cases.forEach((p, n) => {
      const manifests = synthOrRefuse(outcomes, (chart) => new RestoreTest(chart, 'T', {
        source: RestoreSource.pgDump(DumpStorage.existingClaim('dumps'), p.database),
        checks: p.checks.map((make) => make()),
      }));
      if (!manifests) return;
      const script = scriptIn(manifests, 'restore-test.sh');
      const dir = path.join(work.path, `restore-${n}`);
      for (const d of ['scratch', 'status']) run('/bin/mkdir', ['-p', path.join(dir, d)]);
      const findings = shellcheck(dir, script);
      const file = path.join(dir, 'restore-test.sh');
      writeServiceFile(file, script.replace("dump_dir='/backups'", `dump_dir='${dumps}'`).replace(/^port=\d+$/m, `port=${57000 + n}`), 0o700);
      const r = runUnchecked('/bin/bash', [file], { env: { SCRATCH_DIR: path.join(dir, 'scratch'), JOB_STATUS_DIR: path.join(dir, 'status'), PATH }, timeoutMs: 120_000 });
      let report: string | undefined;
      try {
        report = JSON.parse(fs.readFileSync(path.join(dir, 'status', 'message.json'), 'utf8')).text;
      } catch {
        report = undefined;
      }
      // Checks may pass or fail (a missing table is a finding); what must never happen is a
      // shell error, an invalid report or scratch data left behind.
      const ok = findings === '' && (r.status === 0 || r.status === 1) && report !== undefined && fs.readdirSync(path.join(dir, 'scratch')).length === 0;
      if (ok) outcomes.programAccepted++;
      else outcomes.programRefused.push(`${JSON.stringify(p.checks.map((c) => c().id))}: ${findings} exit ${r.status} ${r.stderr.slice(-500)}`);
    });
    outcomes.print('RestoreTest');
    expect(outcomes.programRefused).toEqual([]);
    expect(outcomes.refusedClearly).toBeGreaterThan(1);
    expect(outcomes.programAccepted).toBeGreaterThan(5);
  });
});
