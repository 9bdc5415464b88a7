import * as fs from 'fs';
import * as path from 'path';
import { PostgresServer } from './harness/postgres';
import { run, runUnchecked, serviceTempDir, startService, stopAllServices, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { WebhookReceiver } from './harness/webhook';
import { pgDumpScript, PgDumpScriptOptions } from '../../src/backup/pg-dump-script';
import { NOTIFIER_SCRIPT } from '../../src/core/job-scripts';

jest.setTimeout(120_000);
afterAll(stopAllServices);

const TABLES = ['customers', 'orders', 'order_lines'];

describe('the pg_dump job script, run for real against PostgreSQL 15', () => {
  let server: PostgresServer;
  const dir = serviceTempDir('pg-dump');
  const dumps = path.join(dir.path, 'dumps');
  const scratch = path.join(dir.path, 'tmp');

  beforeAll(async () => {
    server = await PostgresServer.start();
    run('/bin/mkdir', ['-p', dumps, scratch]);
    server.query('CREATE DATABASE shop');
    server.query(`
      CREATE TABLE customers (id int PRIMARY KEY, name text);
      CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, placed timestamptz DEFAULT now());
      CREATE TABLE order_lines (order_id int REFERENCES orders, sku text, qty int);
      INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 500) g;
      INSERT INTO orders SELECT g, 1 + g % 500 FROM generate_series(1, 2000) g;
      INSERT INTO order_lines SELECT 1 + g % 2000, 'sku-' || g, g % 7 FROM generate_series(1, 6000) g;`, 'shop');
  });

  afterAll(async () => {
    await server?.stop();
    dir.remove();
  });

  const env = () => ({ PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: 'postgres', PGDATABASE: 'shop', PATH: process.env.PATH });
  const write = (name: string, options: Partial<PgDumpScriptOptions>) => {
    const file = path.join(dir.path, name);
    writeServiceFile(file, pgDumpScript({ directory: dumps, prefix: 'shop', format: 'custom', jobs: 1, compressionLevel: 6, keep: 2, scratch, ...options }), 0o700);
    return file;
  };
  const counts = (database: string) => TABLES.map((t) => server.query(`SELECT count(*) FROM ${t}`, database));
  const listDumps = () => fs.readdirSync(dumps).sort();

  test('shellcheck finds nothing in the generated scripts', () => {
    const check = (name: string, text: string) => {
      const file = path.join(dir.path, name);
      writeServiceFile(file, text, 0o700);
      const result = runUnchecked(program('shellcheck'), ['--shell=bash', '--severity=style', file]);
      expect(`${name}: ${result.stdout}${result.stderr}`).toBe(`${name}: `);
      expect(result.status).toBe(0);
    };
    check('custom.sh', pgDumpScript({ directory: '/backups', prefix: 'shop', format: 'custom', jobs: 1, compressionLevel: 6, keep: 7, scratch: '/tmp' }));
    check('directory.sh', pgDumpScript({ directory: '/backups', prefix: 'shop', format: 'directory', jobs: 4, compressionLevel: 0, keep: 3, scratch: '/tmp' }));
    const sh = path.join(dir.path, 'notifier.sh');
    writeServiceFile(sh, `#!/bin/sh\n${NOTIFIER_SCRIPT}`, 0o700);
    const result = runUnchecked(program('shellcheck'), ['--shell=sh', '--severity=style', sh]);
    expect(`${result.stdout}${result.stderr}`).toBe('');
  });

  test('three runs keep the newest two dumps, and the newest restores with equal row counts', async () => {
    const script = write('custom.sh', {});
    for (let i = 0; i < 3; i++) {
      run('/bin/bash', [script], { env: env() });
      await new Promise((r) => setTimeout(r, 1100)); // distinct UTC second stamps
    }
    const kept = listDumps();
    expect(kept).toHaveLength(2);
    expect(kept.every((f) => /^shop-\d{8}T\d{6}Z\.dump$/.test(f))).toBe(true);
    server.query('CREATE DATABASE shop_restored');
    run(program('pg_restore'), ['-h', server.socketDir, '-p', String(server.port), '-U', 'postgres', '-d', 'shop_restored', path.join(dumps, kept[1])]);
    expect(counts('shop_restored')).toEqual(counts('shop'));
    expect(counts('shop_restored')).toEqual(['500', '2000', '6000']);
  });

  test('directory format with parallel jobs restores too', () => {
    run('/bin/rm', ['-rf', dumps]);
    run('/bin/mkdir', ['-p', dumps]);
    const output = run('/bin/bash', [write('directory.sh', { format: 'directory', jobs: 3 })], { env: env() });
    expect(output).toMatch(/verified .*shop-\d{8}T\d{6}Z: \d+ archive entries/);
    const [dump] = listDumps();
    server.query('CREATE DATABASE shop_parallel');
    run(program('pg_restore'), ['-h', server.socketDir, '-p', String(server.port), '-U', 'postgres', '-j', '3', '-d', 'shop_parallel', path.join(dumps, dump)]);
    expect(counts('shop_parallel')).toEqual(counts('shop'));
  });

  test('an unreadable dump fails the job, is removed, and prunes nothing', () => {
    const before = listDumps();
    // A pg_dump that "succeeds" but writes garbage, ahead of the real one on PATH.
    const bin = path.join(dir.path, 'bin');
    run('/bin/mkdir', ['-p', bin]);
    writeServiceFile(path.join(bin, 'pg_dump'), '#!/bin/sh\nfor a; do case "$a" in --file=*) echo garbage > "${a#--file=}";; esac; done\n', 0o755);
    const result = runUnchecked('/bin/bash', [write('custom.sh', { keep: 1 })], { env: { ...env(), PATH: `${bin}:${process.env.PATH}` } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/pg_restore cannot read all of .*shop-\d{8}T\d{6}Z\.dump; removing it/);
    expect(listDumps()).toEqual(before);
  });
});

describe('pg_dump job script: exact selection and a full read (#10.1, #10.4)', () => {
  let server: PostgresServer;
  const dir = serviceTempDir('pg-dump-exact');
  const dumps = path.join(dir.path, 'dumps');
  const scratch = path.join(dir.path, 'tmp');
  const PG_BIN = '/usr/lib/postgresql/15/bin';

  beforeAll(async () => {
    server = await PostgresServer.start();
    run('/bin/mkdir', ['-p', dumps, scratch]);
    server.query('CREATE DATABASE app');
    server.query("CREATE TABLE events (id int PRIMARY KEY, payload text); INSERT INTO events SELECT g, md5(g::text) || repeat('x', 200) FROM generate_series(1, 20000) g", 'app');
  });
  afterAll(async () => {
    await server?.stop();
    dir.remove();
  });

  const env = (extraPath = '') => ({ PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: 'postgres', PGDATABASE: 'app', PATH: `${extraPath}${PG_BIN}:${process.env.PATH}` });
  const script = (name: string, keep: number) => {
    const file = path.join(dir.path, name);
    writeServiceFile(file, pgDumpScript({ directory: dumps, prefix: 'app', format: 'custom', jobs: 1, compressionLevel: 6, keep, scratch }), 0o700);
    return file;
  };
  const listDumps = () => fs.readdirSync(dumps).sort();

  test('#10.1 retention matches one database exactly: dumps of app-logs survive and the dump just written is kept', () => {
    // Another database's dumps on the same claim; by name they sort after every app dump.
    for (const stamp of ['20261120T010000Z', '20261121T010000Z']) writeServiceFile(path.join(dumps, `app-logs-${stamp}.dump`), 'logs');
    // An app dump stamped in the future (a skewed clock) sorts after the one about to be written.
    writeServiceFile(path.join(dumps, 'app-20991231T000000Z.dump'), 'future');
    writeServiceFile(path.join(dumps, 'app-20200101T000000Z.dump'), 'old');
    const output = run('/bin/bash', [script('keep1.sh', 1)], { env: env() });
    const written = /dumping database app from .* to .*\/(app-\d{8}T\d{6}Z\.dump)/.exec(output)![1];
    expect(listDumps()).toEqual(['app-20991231T000000Z.dump', written, 'app-logs-20261120T010000Z.dump', 'app-logs-20261121T010000Z.dump'].sort());
    const removed = output.split('\n').filter((line) => line.startsWith('retention: removing'));
    expect(removed).toEqual([`retention: removing ${path.join(dumps, 'app-20200101T000000Z.dump')}`]);
  });

  test('#10.4 a dump truncated to 60% fails the job, though pg_restore --list reads it', () => {
    run('/bin/rm', ['-rf', dumps]);
    run('/bin/mkdir', ['-p', dumps]);
    // pg_dump that writes a real dump and then loses the last 40% of it (a full disk, a bad copy).
    const bin = path.join(dir.path, 'bin');
    run('/bin/mkdir', ['-p', bin]);
    writeServiceFile(path.join(bin, 'pg_dump'), `#!/bin/sh
set -e
${PG_BIN}/pg_dump "$@"
for a; do case "$a" in --file=*) f="\${a#--file=}";; esac; done
truncate -s $(( $(stat -c %s "$f") * 6 / 10 )) "$f"
`, 0o755);
    const result = runUnchecked('/bin/bash', [script('truncated.sh', 3)], { env: env(`${bin}:`) });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/pg_restore cannot read all of .*app-\d{8}T\d{6}Z\.dump; removing it/);
    expect(listDumps()).toEqual([]);
    // What the old check saw: the table of contents of a truncated dump reads fine.
    const copy = path.join(dir.path, 'copy.dump');
    run(`${bin}/pg_dump`, ['--format=custom', `--file=${copy}`], { env: env() });
    expect(runUnchecked(program('pg_restore'), ['--list', copy]).status).toBe(0);
    expect(runUnchecked(program('pg_restore'), ['--file=/dev/null', copy]).status).not.toBe(0);
  });
});

describe('the failure notifier', () => {
  let receiver: WebhookReceiver;
  const dir = serviceTempDir('notifier');
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    dir.remove();
  });

  const notify = async (code: string | undefined) => {
    const status = path.join(dir.path, 'exit-code');
    if (code === undefined) run('/bin/rm', ['-f', status]);
    else writeServiceFile(status, `${code}\n`);
    const service = startService('notifier', '/bin/sh', ['-c', NOTIFIER_SCRIPT], {
      env: { JOB_STATUS_FILE: status, JOB_DESCRIPTION: 'pg_dump of database shop', POD_NAME: 'shop-dump-28811-abcde', WEBHOOK_URL: receiver.url },
    });
    return service.exited;
  };

  test('success: silent, exit 0', async () => {
    expect(await notify('0')).toBe(0);
    expect(receiver.received).toEqual([]);
  });

  test('failure: posts Slack-compatible JSON and keeps the exit code', async () => {
    expect(await notify('3')).toBe(3);
    expect(receiver.received).toEqual([{ contentType: 'application/json', body: { text: 'pg_dump of database shop failed with exit code 3 (pod shop-dump-28811-abcde)' } }]);
  });

  test('a work container that left no exit code counts as failed', async () => {
    expect(await notify(undefined)).toBe(127);
    expect(receiver.received).toHaveLength(2);
  });
});
