import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PostgresServer } from './harness/postgres';
import { serviceTempDir, stopAllServices } from './harness/processes';
import { program } from './harness/programs';
import { PsqlSession } from './harness/psql-session';
import { WebhookReceiver } from './harness/webhook';
import { BatchedBackfill, MigrationJob, Migrations, SecretKeyRef } from '../../src';
import { NOTIFIER_SCRIPT, WORK_WRAPPER } from '../../src/core/job-scripts';

jest.setTimeout(120_000);

const DB = 'shop';
let server: PostgresServer;
let receiver: WebhookReceiver;
const dir = serviceTempDir('migration-job');
const sessions: PsqlSession[] = [];
let runs = 0;

beforeAll(async () => {
  server = await PostgresServer.start();
  receiver = await WebhookReceiver.start();
  server.query(`CREATE DATABASE ${DB}`);
});

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

afterAll(async () => {
  await receiver?.stop();
  await server?.stop();
  await stopAllServices();
  dir.remove();
});

const q = (sql: string) => server.query(sql, DB);

/**
 * The Job as synthesized: its ConfigMap (files and plan) written to a directory, and the work
 * container's environment, pointed at the test server instead of the Service.
 */
function synthesizedJob(files: Record<string, string>, table: string, statementTimeout?: Duration): { env: NodeJS.ProcessEnv; script: string[] } {
  const chart = new Chart(Testing.app(), 'shop');
  const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Owner', 'owner'), 'password');
  new MigrationJob(chart, 'Migrate', {
    connection: { host: 'app-db-rw', database: DB, user: 'postgres', password },
    migrations: Migrations.sqlFiles(files),
    lockTimeout: Duration.millis(300),
    retryDelay: Duration.seconds(1),
    maxAttempts: 3,
    historyTable: table,
    statementTimeout,
  });
  const manifests = Testing.synth(chart);
  const run = path.join(dir.path, `run-${++runs}`);
  const migrations = path.join(run, 'migrations');
  fs.mkdirSync(migrations, { recursive: true });
  for (const [name, text] of Object.entries(manifests.find((m) => m.kind === 'ConfigMap').data as Record<string, string>)) fs.writeFileSync(path.join(migrations, name), text);
  const container = manifests.find((m) => m.kind === 'Job').spec.template.spec.containers[0];
  const env: NodeJS.ProcessEnv = Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  return {
    env: { ...env, PGHOST: '127.0.0.1', PGPORT: String(server.port), MIGRATION_DIR: migrations, JOB_STATUS_DIR: run, PATH: `${path.dirname(program('psql'))}:${process.env.PATH}`, HOME: run },
    script: container.command,
  };
}

/** Runs the Job's command (through the work wrapper, as with a reporter) and collects its output. */
function runJob(job: { env: NodeJS.ProcessEnv; script: string[] }): { done: Promise<number>; output: () => string } {
  const child = spawn('/bin/sh', ['-c', WORK_WRAPPER, 'job', ...job.script], { env: job.env });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
  const done = new Promise<number>((resolve) => child.on('exit', () => resolve(Number(fs.readFileSync(path.join(job.env.JOB_STATUS_DIR!, 'exit-code'), 'utf8').trim()))));
  return { done, output: () => output };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const report = (job: { env: NodeJS.ProcessEnv }) => JSON.parse(fs.readFileSync(path.join(job.env.JOB_STATUS_DIR!, 'message.json'), 'utf8')).text as string;
const metrics = (job: { env: NodeJS.ProcessEnv }) => fs.readFileSync(path.join(job.env.JOB_STATUS_DIR!, 'metrics.prom'), 'utf8');

async function holdLock(tableName: string): Promise<PsqlSession> {
  const s = await PsqlSession.open(server, DB, 'app-holding-a-lock');
  sessions.push(s);
  await s.send(`BEGIN; LOCK TABLE ${tableName} IN ACCESS EXCLUSIVE MODE;`);
  return s;
}

describe('the MigrationJob script against PostgreSQL 15', () => {
  test('GIVEN a held ACCESS EXCLUSIVE lock WHEN the job runs THEN it times out (55P03), retries, and succeeds once the lock is released', async () => {
    // GIVEN a table another session holds ACCESS EXCLUSIVE on
    q('CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric); INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 1000) g;');
    const holder = await holdLock('accounts');
    // WHEN the job runs a migration of that table
    const job = synthesizedJob({ '001_note.sql': 'ALTER TABLE accounts ADD COLUMN note text;\n' }, 'history_a');
    const run = runJob(job);
    // THEN it gives up waiting after lock_timeout and retries
    await until('a lock-timeout retry', () => run.output().includes('lock timeout (55P03) in 001_note.sql, attempt 1 of 3'));
    // AND once the lock is released, the retry succeeds
    await holder.send('ROLLBACK;');
    expect(await run.done).toBe(0);
    expect(q("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'note'")).toBe('1');
    expect(q('SELECT name FROM history_a')).toBe('001_note.sql');
    expect(report(job)).toMatch(/^migration shop-migrate-[0-9a-f]{8} applied 1 file\(s\) \([1-9]\d* lock-timeout retries\)$/);
    expect(metrics(job)).toMatch(/^pgrel_migration_success 1$/m);
    expect(metrics(job)).toMatch(/^pgrel_migration_lock_timeout_retries [1-9]$/m);
  });

  test('GIVEN a lock that is never released WHEN the job runs THEN it stops after maxAttempts, the transaction rolled back and nothing recorded', async () => {
    q('CREATE TABLE ledger (id bigint PRIMARY KEY);');
    await holdLock('ledger');
    const job = synthesizedJob({ '001_ledger.sql': 'ALTER TABLE ledger ADD COLUMN amount numeric;\n' }, 'history_b');
    const run = runJob(job);
    expect(await run.done).toBe(1);
    expect(run.output().match(/lock timeout \(55P03\)/g)).toHaveLength(2);
    expect(report(job)).toMatch(/gave up on 001_ledger.sql after 3 lock timeouts \(55P03\)/);
    expect(metrics(job)).toMatch(/^pgrel_migration_success 0$/m);
    expect(q('SELECT count(*) FROM history_b')).toBe('0');
  });

  test('GIVEN a broken second migration WHEN the job runs THEN the first is applied once, the second fails at once with its error in the report, and the reporter posts it', async () => {
    // GIVEN two files, the second referring to a missing table
    const files = { '001_ok.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY);\n', '002_broken.sql': 'ALTER TABLE invoicez ADD COLUMN total numeric;\n' };
    const job = synthesizedJob(files, 'history_c');
    // WHEN the job runs, and the reporter after it
    const run = runJob(job);
    expect(await run.done).toBe(1);
    expect(run.output()).not.toContain('retrying');
    expect(q('SELECT name FROM history_c')).toBe('001_ok.sql');
    expect(report(job)).toMatch(/failed in 002_broken.sql: ERROR: {2}42P01: relation invoicez does not exist/);
    const before = receiver.received.length;
    // (spawned, not spawnSync: the webhook receiver answers from this process's event loop)
    const notifier = spawn('/bin/sh', ['-c', NOTIFIER_SCRIPT], {
      env: { PATH: process.env.PATH, JOB_STATUS_FILE: path.join(job.env.JOB_STATUS_DIR!, 'exit-code'), JOB_DESCRIPTION: 'migration', POD_NAME: 'migrate-1', WEBHOOK_URL: receiver.url },
      stdio: 'ignore',
    });
    const notifierExit = await new Promise<number | null>((resolve) => notifier.on('exit', resolve));
    // THEN the Job fails and the webhook got the migration's own message
    expect(notifierExit).toBe(1);
    expect(receiver.received.slice(before).map((r) => r.body.text)).toEqual([report(job)]);
    // AND a second run applies nothing twice: 001 is skipped, 002 fails again
    const again = runJob({ ...job, env: { ...job.env } });
    expect(await again.done).toBe(1);
    expect(again.output()).toContain('001_ok.sql: already applied');
  });

  test('GIVEN an applied file edited afterwards WHEN the job runs again THEN it refuses to go on', async () => {
    const first = synthesizedJob({ '001_t.sql': 'CREATE TABLE edited (id bigint PRIMARY KEY);\n' }, 'history_d');
    expect(await runJob(first).done).toBe(0);
    const edited = synthesizedJob({ '001_t.sql': 'CREATE TABLE edited (id bigint PRIMARY KEY, x int);\n' }, 'history_d');
    const run = runJob(edited);
    expect(await run.done).toBe(1);
    expect(report(edited)).toMatch(/001_t.sql was applied with other contents; write a new migration/);
  });

  test('GIVEN a CONCURRENTLY file WHEN the job runs THEN it runs outside a transaction (plan notx) and is recorded', async () => {
    q('CREATE TABLE events (id bigint PRIMARY KEY, kind text); INSERT INTO events SELECT g, g::text FROM generate_series(1, 1000) g;');
    const job = synthesizedJob({ '001_idx.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);\n' }, 'history_e');
    expect(fs.readFileSync(path.join(job.env.MIGRATION_DIR!, 'plan'), 'utf8')).toBe('notx 001_idx.sql\n');
    expect(await runJob(job).done).toBe(0);
    expect(q("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_kind_idx'::regclass")).toBe('t');
  });

  test('GIVEN a BatchedBackfill file WHEN the job runs it under a 1 s statement_timeout THEN every row is filled in committed batches of 1000, and a rerun changes nothing', async () => {
    // GIVEN 20,000 rows to fill, and a job whose statement_timeout is shorter than the whole backfill
    q("CREATE TABLE posts (id bigint PRIMARY KEY, title text NOT NULL, slug text); INSERT INTO posts (id, title) SELECT g, 'Post ' || g FROM generate_series(1, 20000) g;");
    const backfill = BatchedBackfill.sql({ table: 'posts', keyColumn: 'id', set: "slug = lower(replace(title, ' ', '-'))", pending: 'slug IS NULL', pause: Duration.millis(60) });
    const job = synthesizedJob({ '001_backfill.sql': backfill }, 'history_f', Duration.seconds(1));
    expect(fs.readFileSync(path.join(job.env.MIGRATION_DIR!, 'plan'), 'utf8')).toBe('notx 001_backfill.sql\n');
    // WHEN the job runs it
    const started = Date.now();
    expect(await runJob(job).done).toBe(0);
    console.log(`backfill of 20,000 rows in 20 batches: ${Date.now() - started} ms (statement_timeout 1 s)`);
    // THEN every row is filled, by 20 transactions (one xmin per batch)
    expect(q('SELECT count(*) FROM posts WHERE slug IS NULL')).toBe('0');
    expect(q('SELECT slug FROM posts WHERE id = 7')).toBe('post-7');
    expect(q('SELECT count(DISTINCT xmin::text) FROM posts')).toBe('20');
    // AND the same SQL run again (a job with a fresh history) updates no row: idempotent
    const xmins = q('SELECT string_agg(DISTINCT xmin::text, \',\') FROM posts');
    expect(await runJob(synthesizedJob({ '001_backfill.sql': backfill }, 'history_g', Duration.seconds(1))).done).toBe(0);
    expect(q('SELECT string_agg(DISTINCT xmin::text, \',\') FROM posts')).toBe(xmins);
  });
});
