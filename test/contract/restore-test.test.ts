import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { RestoreCheck } from '../../src';
import { BackupStack, ok } from './harness/pgbackrest-stack';
import { PostgresServer } from './harness/postgres';
import { run, runUnchecked, serviceTempDir, startService, stopAllServices, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { WebhookReceiver } from './harness/webhook';
import { pgDumpScript } from '../../src/backup/pg-dump-script';
import { CREATE_SCRIPT } from '../../src/cnpg/create-step-script';
import { NOTIFIER_SCRIPT } from '../../src/core/job-scripts';
import { restoreTestScript, RestoreScriptOptions } from '../../src/core/restore-check-script';

jest.setTimeout(300_000);
afterAll(stopAllServices);

const PATH = `/usr/lib/postgresql/15/bin:${process.env.PATH}`;

/**
 * The generated restore-test script, run for real against a pgBackRest repository made by the
 * library's backup config, followed by the reporter posting its report to a webhook on 127.0.0.1.
 */
describe('restore test script against a real pgBackRest repository', () => {
  let stack: BackupStack;
  let receiver: WebhookReceiver;
  const work = serviceTempDir('restore-test');

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await BackupStack.start();
    ok(stack.job(['stanza-create']), 'stanza-create');
    stack.postgres.query(`CREATE TABLE orders (id int PRIMARY KEY, created_at timestamptz NOT NULL);
      INSERT INTO orders SELECT g, now() - (g || ' minutes')::interval FROM generate_series(1, 2500) g;
      CREATE TABLE archive_orders (id int PRIMARY KEY, created_at timestamptz NOT NULL);
      INSERT INTO archive_orders SELECT g, now() - interval '3 days' FROM generate_series(1, 100) g;`);
    ok(stack.job(['backup', '--type=full']), 'full backup');
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    work.remove();
  });

  let runs = 0;
  /** Runs the script and the reporter like the Job's two containers, and returns what happened. */
  async function runTest(checks: RestoreCheck[], overrides: Partial<RestoreScriptOptions> = {}) {
    const n = ++runs;
    const dir = (name: string) => {
      const p = path.join(work.path, `${name}-${n}`);
      run('/bin/mkdir', ['-p', p]);
      return p;
    };
    const scratch = dir('scratch');
    const status = dir('status');
    const script = path.join(work.path, `restore-test-${n}.sh`);
    writeServiceFile(script, restoreTestScript({
      source: 'main',
      database: 'postgres',
      superuser: 'postgres',
      port: 54329 + n,
      startTimeoutSeconds: 120,
      checks,
      from: { kind: 'pgbackrest', config: stack.dbConf, stanza: 'main', options: ['--type=immediate', '--target-action=promote'] },
      ...overrides,
    }), 0o700);
    const result = runUnchecked('/bin/bash', [script], { env: { ...stack.env, SCRATCH_DIR: scratch, JOB_STATUS_DIR: status, PATH }, timeoutMs: 240_000 });
    writeServiceFile(path.join(status, 'exit-code'), `${result.status}\n`);
    const before = receiver.received.length;
    const reporter = startService('reporter', '/bin/sh', ['-c', NOTIFIER_SCRIPT], {
      env: { JOB_STATUS_FILE: path.join(status, 'exit-code'), JOB_DESCRIPTION: 'Restore test of main', POD_NAME: 'restore-test-1', WEBHOOK_URL: receiver.url },
    });
    const reporterExit = await reporter.exited;
    return {
      status: result.status,
      output: `${result.stdout}${result.stderr}`,
      reporterExit,
      message: receiver.received.slice(before).map((r) => r.body.text).join('\n'),
      metrics: fs.readFileSync(path.join(status, 'metrics.prom'), 'utf8'),
      scratchLeft: fs.readdirSync(scratch),
    };
  }

  test('shellcheck finds nothing in the generated script', () => {
    const file = path.join(work.path, 'check.sh');
    writeServiceFile(file, restoreTestScript({
      source: 'main',
      database: 'app',
      superuser: 'postgres',
      port: 54329,
      startTimeoutSeconds: 60,
      from: { kind: 'pgbackrest', config: '/etc/pgbackrest/conf/pgbackrest.conf', stanza: 'main', options: ['--type=immediate'] },
      checks: [RestoreCheck.tableExists('orders'), RestoreCheck.minRows('orders', 1), RestoreCheck.freshness('orders', 'created_at'), RestoreCheck.query('one', "SELECT 'it''s'", "it's"), RestoreCheck.integrity()],
    }), 0o700);
    const dumpFile = path.join(work.path, 'check-dump.sh');
    writeServiceFile(dumpFile, restoreTestScript({
      source: 'shop',
      database: 'shop',
      superuser: 'postgres',
      port: 54329,
      startTimeoutSeconds: 60,
      from: { kind: 'pgdump', directory: '/backups', prefix: 'shop' },
      checks: [RestoreCheck.tableExists('orders')],
    }), 0o700);
    const serverFile = path.join(work.path, 'check-server.sh');
    writeServiceFile(serverFile, restoreTestScript({
      source: 'myapp-db',
      database: 'app',
      superuser: 'postgres',
      port: 5432,
      startTimeoutSeconds: 60,
      from: { kind: 'server' },
      checks: [RestoreCheck.minRows('orders', 1), RestoreCheck.integrity()],
    }), 0o700);
    for (const f of [file, dumpFile, serverFile]) {
      const result = runUnchecked(program('shellcheck'), ['--severity=style', f]);
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    }
  });

  test('(1) a good, recent backup passes; the webhook gets a success message with the counts', async () => {
    const r = await runTest([
      RestoreCheck.tableExists('orders'),
      RestoreCheck.minRows('orders', 2000),
      RestoreCheck.freshness('orders', 'created_at', Duration.hours(48)),
      RestoreCheck.query('order_ids', 'SELECT min(id) || \'-\' || max(id) FROM orders', '1-2500'),
      RestoreCheck.integrity(),
    ]);
    if (r.status !== 0) console.log(r.output);
    expect([r.status, r.reporterExit]).toEqual([0, 0]);
    expect(r.message).toMatch(/^Restore test of main passed in \d+s\. orders: 2500 rows;latest orders\.created_at: .+;order_ids: 1-2500;amcheck: no corruption$/);
    expect(r.metrics).toMatch(/^pgrel_restore_test_success 1$/m);
    expect(r.metrics).toMatch(/^pgrel_restore_test_last_success_timestamp_seconds \d+$/m);
    expect(r.scratchLeft).toEqual([]);
  });

  test('(2) stale data fails the freshness check: non-zero exit and a failure report', async () => {
    const r = await runTest([RestoreCheck.minRows('archive_orders', 1), RestoreCheck.freshness('archive_orders', 'created_at', Duration.hours(48))]);
    expect(r.status).toBe(1);
    expect(r.reporterExit).toBe(1);
    expect(r.message).toMatch(/^Restore test of main FAILED in \d+s\. archive_orders: 100 rows;latest archive_orders\.created_at: .+\. Failed: newest archive_orders\.created_at is .+, older than 172800s$/);
    expect(r.metrics).toMatch(/^pgrel_restore_test_success 0$/m);
    expect(r.metrics).not.toContain('last_success');
    expect(r.scratchLeft).toEqual([]);
  });

  test('(3) a missing table fails', async () => {
    const r = await runTest([RestoreCheck.tableExists('invoices'), RestoreCheck.minRows('invoices', 1)]);
    expect(r.status).toBe(1);
    expect(r.message).toContain('Failed: table invoices is missing;cannot count rows of invoices');
    expect(r.scratchLeft).toEqual([]);
  });

  test('(4a) a missing backup fails with a clear message', async () => {
    const r = await runTest([RestoreCheck.tableExists('orders')], {
      from: { kind: 'pgbackrest', config: stack.dbConf, stanza: 'main', options: ['--set=20200101-000000F', '--type=immediate', '--target-action=promote'] },
    });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/backup set 20200101-000000F is not valid/);
    expect(r.message).toContain('Failed: pgBackRest could not restore stanza main');
    expect(r.scratchLeft).toEqual([]);
  });

  test('(4b) a damaged backup fails with a clear message', async () => {
    // Damage a file of the backup in the repository, as bit rot or a bad copy would.
    const repo = path.join(path.dirname(stack.dbConf), 'repo', 'backup', 'main');
    const label = fs.readdirSync(repo).filter((f) => /F$/.test(f)).sort().pop()!;
    const files = run('/usr/bin/find', [path.join(repo, label, 'pg_data', 'base'), '-type', 'f', '-size', '+8k']).trim().split('\n');
    const victim = files.sort()[0];
    run('/bin/sh', ['-c', `printf 'damaged by the test' | dd of='${victim}' bs=1 seek=100 conv=notrunc 2>/dev/null`]);
    const r = await runTest([RestoreCheck.tableExists('orders')]);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/ERROR: \[\d+\]/);
    expect(r.message).toContain('Failed: pgBackRest could not restore stanza main');
    expect(r.scratchLeft).toEqual([]);
  });
});

describe('restore test script against dumps written by the pg_dump job script', () => {
  test('the newest dump restores into a scratch cluster and passes its checks; the scratch cluster is gone', async () => {
    const server = await PostgresServer.start();
    const work = serviceTempDir('restore-dump');
    try {
      for (const d of ['dumps', 'tmp', 'scratch', 'status']) run('/bin/mkdir', ['-p', path.join(work.path, d)]);
      server.query('CREATE DATABASE shop');
      server.query('CREATE TABLE orders (id int PRIMARY KEY, created_at timestamptz); INSERT INTO orders SELECT g, now() FROM generate_series(1, 700) g', 'shop');
      const dump = path.join(work.path, 'dump.sh');
      writeServiceFile(dump, pgDumpScript({ directory: path.join(work.path, 'dumps'), prefix: 'shop', format: 'custom', jobs: 1, compressionLevel: 6, keep: 3, scratch: path.join(work.path, 'tmp') }), 0o700);
      run('/bin/bash', [dump], { env: { PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: 'postgres', PGDATABASE: 'shop', PATH } });
      const script = path.join(work.path, 'restore.sh');
      writeServiceFile(script, restoreTestScript({
        source: 'shop',
        database: 'shop',
        superuser: 'postgres',
        port: 55432,
        startTimeoutSeconds: 60,
        from: { kind: 'pgdump', directory: path.join(work.path, 'dumps'), prefix: 'shop' },
        checks: [RestoreCheck.minRows('orders', 700), RestoreCheck.freshness('orders', 'created_at'), RestoreCheck.integrity()],
      }), 0o700);
      const result = runUnchecked('/bin/bash', [script], { env: { SCRATCH_DIR: path.join(work.path, 'scratch'), JOB_STATUS_DIR: path.join(work.path, 'status'), PATH } });
      expect(`${result.status}`).toBe('0');
      const message = JSON.parse(fs.readFileSync(path.join(work.path, 'status', 'message.json'), 'utf8')).text;
      expect(message).toMatch(/^Restore test of shop passed in \d+s\. restored shop-\d{8}T\d{6}Z\.dump;orders: 700 rows;latest orders\.created_at: .+;amcheck: no corruption$/);
      expect(fs.readdirSync(path.join(work.path, 'scratch'))).toEqual([]);
    } finally {
      await server.stop();
      work.remove();
    }
  });
});

describe('restore tests of dumps: exact selection, quoting (#10.2, #10.3, #10.16)', () => {
  let server: PostgresServer;
  const work = serviceTempDir('restore-exact');
  const dumps = path.join(work.path, 'dumps');

  beforeAll(async () => {
    server = await PostgresServer.start();
    for (const d of ['dumps', 'tmp']) run('/bin/mkdir', ['-p', path.join(work.path, d)]);
    server.query('CREATE DATABASE app');
    server.query(`CREATE TABLE orders (id int); CREATE TABLE "Orders" (id int); CREATE TABLE "user" (id int);
      INSERT INTO "Orders" SELECT generate_series(1, 3); INSERT INTO "user" SELECT generate_series(1, 5);`, 'app');
    server.query('CREATE DATABASE "app-logs"');
    server.query('CREATE TABLE log_lines (line text)', 'app-logs');
    // app's dump, then a later one of app-logs on the same claim: by name and by time it sorts last.
    for (const [database, stamp] of [['app', '20261124T010000Z'], ['app-logs', '20261124T020000Z']]) {
      run(program('pg_dump'), ['-h', server.socketDir, '-p', String(server.port), '-U', 'postgres', '--format=custom', `--file=${path.join(dumps, `${database}-${stamp}.dump`)}`, database]);
    }
  });
  afterAll(async () => {
    await server?.stop();
    work.remove();
  });

  let runs = 0;
  const restore = (prefix: string, checks: RestoreCheck[]) => {
    const n = ++runs;
    const status = path.join(work.path, `status-${n}`);
    const scratch = path.join(work.path, `scratch-${n}`);
    run('/bin/mkdir', ['-p', status, scratch]);
    const script = path.join(work.path, `restore-${n}.sh`);
    writeServiceFile(script, restoreTestScript({ source: 'app', database: 'app', superuser: 'postgres', port: 55500 + n, startTimeoutSeconds: 60, from: { kind: 'pgdump', directory: dumps, prefix }, checks }), 0o700);
    const result = runUnchecked('/bin/bash', [script], { env: { SCRATCH_DIR: scratch, JOB_STATUS_DIR: status, PATH } });
    return { status: result.status, output: `${result.stdout}${result.stderr}`, message: JSON.parse(fs.readFileSync(path.join(status, 'message.json'), 'utf8')).text as string };
  };

  test('#10.2 the restore test of app restores the newest dump of app, not the newer one of app-logs', () => {
    const r = restore('app', [RestoreCheck.tableExists('orders')]);
    expect(r.message).toMatch(/^Restore test of app passed in \d+s\. restored app-20261124T010000Z\.dump$/);
    expect(r.status).toBe(0);
  });

  test('#10.3 a database name reaches the shell quoted: the command in it never runs', () => {
    const marker = path.join(work.path, 'pwned');
    const r = restore(`x$(touch ${marker})`, [RestoreCheck.tableExists('orders')]);
    expect(r.status).toBe(1);
    expect(r.message).toContain(`Failed: no dump of database x$(touch ${marker}) in`);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('#10.16 checks quote identifiers: "user" is the table, not current_user, and "Orders" keeps its case', () => {
    const r = restore('app', [RestoreCheck.minRows('user', 5), RestoreCheck.tableExists('Orders'), RestoreCheck.minRows('Orders', 3), RestoreCheck.minRows('orders', 0)]);
    expect(r.message).toMatch(/^Restore test of app passed in \d+s\. restored app-20261124T010000Z\.dump;user: 5 rows;Orders: 3 rows;orders: 0 rows$/);
    expect(r.status).toBe(0);
  });
});

describe('the CloudNativePG restore test steps', () => {
  test('shellcheck accepts the create script', () => {
    const work = serviceTempDir('cnpg-create');
    try {
      const file = path.join(work.path, 'create.sh');
      writeServiceFile(file, CREATE_SCRIPT, 0o700);
      const result = runUnchecked(program('shellcheck'), ['--severity=style', file]);
      expect(`${result.stdout}${result.stderr}`).toBe('');
    } finally {
      work.remove();
    }
  });

  test('#10.17 the check step connects through the service file the create step left (no password on a command line), and fails clearly when there is none', async () => {
    const server = await PostgresServer.start({ initdbArgs: ['--auth-host=scram-sha-256'], conf: "password_encryption = 'scram-sha-256'\n" });
    const work = serviceTempDir('cnpg-check');
    try {
      server.query("CREATE ROLE app LOGIN PASSWORD 'app-pw-7'");
      server.query('CREATE DATABASE app OWNER app');
      server.query('CREATE TABLE orders (id int); INSERT INTO orders SELECT generate_series(1, 42); ALTER TABLE orders OWNER TO app', 'app');
      const script = path.join(work.path, 'check.sh');
      writeServiceFile(script, restoreTestScript({
        source: 'myapp-db',
        database: 'app',
        superuser: 'postgres',
        port: 5432,
        startTimeoutSeconds: 60,
        from: { kind: 'server' },
        checks: [RestoreCheck.minRows('orders', 40)],
      }), 0o700);
      // psql that notes its command line (what `ps` would show) before running the real one.
      const bin = path.join(work.path, 'bin');
      const argvLog = path.join(work.path, 'psql-argv.log');
      run('/bin/mkdir', ['-p', bin]);
      writeServiceFile(path.join(bin, 'psql'), `#!/bin/sh\necho "$*" >> '${argvLog}'\nexec ${program('psql')} "$@"\n`, 0o755);
      const runCheck = (createExit: string) => {
        const status = path.join(work.path, `status-${createExit}`);
        run('/bin/mkdir', ['-p', status, path.join(work.path, 'tmp')]);
        // What the create step leaves: a passfile, a service file pointing at it, and its exit code.
        writeServiceFile(path.join(status, 'pgpass'), `127.0.0.1:${server.port}:app:app:app-pw-7\n`);
        writeServiceFile(path.join(status, 'pg_service.conf'), `[restored]\nhost=127.0.0.1\nport=${server.port}\ndbname=app\nuser=app\npassfile=${path.join(status, 'pgpass')}\n`);
        writeServiceFile(path.join(status, 'create-exit-code'), `${createExit}\n`);
        const result = runUnchecked('/bin/bash', [script], { env: { JOB_STATUS_DIR: status, SCRATCH_DIR: path.join(work.path, 'tmp'), PATH: `${bin}:${PATH}` } });
        return { status: result.status, message: JSON.parse(fs.readFileSync(path.join(status, 'message.json'), 'utf8')).text as string, output: `${result.stdout}${result.stderr}` };
      };
      const good = runCheck('0');
      expect(good.status).toBe(0);
      expect(good.message).toMatch(/^Restore test of myapp-db passed in \d+s\. orders: 42 rows$/);
      expect(good.output).not.toContain('app-pw-7');
      // #10.17: the password is never on a command line (visible to every process in the pod).
      const argv = fs.readFileSync(argvLog, 'utf8');
      expect(argv).toContain('SELECT count(*) FROM "orders"');
      expect(argv).not.toContain('app-pw-7');
      const none = runCheck('1');
      expect(none.status).toBe(1);
      expect(none.message).toContain('Failed: the throwaway cluster was not created or did not become ready');
    } finally {
      await server.stop();
      work.remove();
    }
  });
});
