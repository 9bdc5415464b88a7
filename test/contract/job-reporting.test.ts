import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { RestoreCheck } from '../../src';
import { httpGet } from './harness/http';
import { freePort } from './harness/ports';
import { PostgresServer } from './harness/postgres';
import { run, runUnchecked, Service, serviceTempDir, startService, stopAllServices, waitFor, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { WebhookReceiver } from './harness/webhook';
import { pgDumpScript } from '../../src/backup/pg-dump-script';
import { DELIVERY_FAILED, NOTIFIER_SCRIPT, WORK_WRAPPER } from '../../src/core/job-scripts';
import { restoreTestScript } from '../../src/core/restore-check-script';

jest.setTimeout(300_000);
afterAll(stopAllServices);

const PATH = `/usr/lib/postgresql/15/bin:${process.env.PATH}`;
const PUSH_JOB = 'pgrel_restore_test/source/shop';

/**
 * #10.15: every run of a restore test ends in exactly one report, and a run whose report cannot
 * be delivered fails its Job. The pod is played as Kubernetes runs it: the work wrapper (init
 * container) runs the generated restore-test script, then the reporter (main container) posts to
 * a webhook on 127.0.0.1 and pushes to a real Pushgateway. Failures are injected with fake
 * programs on PATH, dead endpoints and a time budget.
 */
describe('#10.15 restore-test reporting under failure injection', () => {
  let server: PostgresServer;
  let receiver: WebhookReceiver;
  let pushgateway: Service;
  let pushgatewayUrl: string;
  let deadPort: number;
  const work = serviceTempDir('reporting');
  const dumps = path.join(work.path, 'dumps');
  const table: string[] = [];

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const port = await freePort();
    deadPort = await freePort();
    pushgatewayUrl = `http://127.0.0.1:${port}`;
    pushgateway = startService('pushgateway', program('prometheus-pushgateway'), [`--web.listen-address=127.0.0.1:${port}`]);
    await waitFor('the Pushgateway', () => runUnchecked('/usr/bin/curl', ['-fsS', `${pushgatewayUrl}/-/ready`]).status === 0, 30_000, pushgateway);
    server = await PostgresServer.start();
    server.query('CREATE DATABASE shop');
    server.query('CREATE TABLE orders (id int PRIMARY KEY, note text, created_at timestamptz DEFAULT now()); INSERT INTO orders SELECT g, \'ok\' FROM generate_series(1, 300) g', 'shop');
    run('/bin/mkdir', ['-p', dumps, path.join(work.path, 'tmp')]);
    const dump = path.join(work.path, 'dump.sh');
    writeServiceFile(dump, pgDumpScript({ directory: dumps, prefix: 'shop', format: 'custom', jobs: 1, compressionLevel: 6, keep: 3, scratch: path.join(work.path, 'tmp') }), 0o700);
    run('/bin/bash', [dump], { env: { PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: 'postgres', PGDATABASE: 'shop', PATH } });
  });

  afterAll(async () => {
    console.log(['scenario | work exit | reporter exit | webhook report | pushed success | alert that would fire', ...table].join('\n'));
    await pushgateway?.stop();
    await server?.stop();
    await receiver?.stop();
    work.remove();
  });

  let runs = 0;
  interface Scenario {
    readonly checks?: RestoreCheck[];
    /** Fake programs put first on PATH: name -> sh body. */
    readonly fakes?: Record<string, string>;
    readonly budgetSeconds?: number;
    readonly webhookUrl?: string;
    readonly pushgatewayUrl?: string;
    /** Replace the exit code the wrapper left (a work container that was killed outright). */
    readonly exitCodeFile?: string;
  }

  async function pod(name: string, s: Scenario) {
    const n = ++runs;
    const dir = (d: string) => {
      const p = path.join(work.path, `${d}-${n}`);
      run('/bin/mkdir', ['-p', p]);
      return p;
    };
    const status = dir('status');
    const scratch = dir('scratch');
    const bin = dir('bin');
    for (const [program_, body] of Object.entries(s.fakes ?? {})) writeServiceFile(path.join(bin, program_), `#!/bin/sh\n${body}\n`, 0o755);
    const script = path.join(work.path, `restore-${n}.sh`);
    writeServiceFile(script, restoreTestScript({
      source: 'shop',
      database: 'shop',
      superuser: 'postgres',
      port: 56000 + n,
      startTimeoutSeconds: 60,
      from: { kind: 'pgdump', directory: dumps, prefix: 'shop' },
      checks: s.checks ?? [RestoreCheck.minRows('orders', 300)],
    }), 0o700);
    run('/usr/bin/curl', ['-fsS', '-X', 'DELETE', `${pushgatewayUrl}/metrics/job/${PUSH_JOB}`]);
    const wrapper = runUnchecked('/bin/sh', ['-c', WORK_WRAPPER, 'job', '/bin/bash', script], {
      env: { JOB_STATUS_DIR: status, SCRATCH_DIR: scratch, PATH: `${bin}:${PATH}`, ...(s.budgetSeconds ? { WORK_BUDGET: String(s.budgetSeconds) } : {}) },
      timeoutMs: 120_000,
    });
    const workExit = fs.readFileSync(path.join(status, 'exit-code'), 'utf8').trim();
    if (s.exitCodeFile !== undefined) writeServiceFile(path.join(status, 'exit-code'), s.exitCodeFile);
    const before = receiver.received.length;
    const reporter = startService('reporter', '/bin/sh', ['-c', NOTIFIER_SCRIPT], {
      env: {
        JOB_STATUS_FILE: path.join(status, 'exit-code'),
        JOB_DESCRIPTION: 'Restore test of shop',
        POD_NAME: `shop-restore-test-${n}`,
        WEBHOOK_URL: s.webhookUrl ?? receiver.url,
        PUSHGATEWAY_URL: s.pushgatewayUrl ?? pushgatewayUrl,
        PUSH_JOB,
      },
    });
    const reporterExit = await reporter.exited;
    const reports = receiver.received.slice(before).map((r) => r.body.text as string);
    const pushed = /^pgrel_restore_test_success\{[^}]*source="shop"[^}]*\} (\d)$/m.exec(await httpGet(`${pushgatewayUrl}/metrics`))?.[1];
    const alert = [
      ...(reporterExit !== 0 ? ['Job failed (kube_job_status_failed)'] : []),
      ...(pushed === '0' ? ['PostgresRestoreTestFailed'] : []),
      ...(pushed === undefined ? ['PostgresRestoreTestNeverReported / Missing once overdue'] : []),
    ].join(' + ') || 'none';
    table.push(`${name} | ${workExit || '(none)'} | ${reporterExit} | ${reports.length === 1 ? 'sent' : `${reports.length} sent`} | ${pushed ?? 'nothing'} | ${alert}`);
    return { wrapper, workExit, reporterExit, reports, pushed, reporterLog: reporter.output, scratchLeft: fs.readdirSync(scratch) };
  }

  test('a good restore: exit 0, one success report, success pushed', async () => {
    const r = await pod('good restore', {});
    expect([r.workExit, r.reporterExit, r.pushed]).toEqual(['0', 0, '1']);
    expect(r.reports).toEqual([expect.stringMatching(/^Restore test of shop passed in \d+s\. restored shop-\d{8}T\d{6}Z\.dump;orders: 300 rows$/)]);
  });

  test('a failing check: exit 1, one failure report, failure pushed', async () => {
    const r = await pod('failing check', { checks: [RestoreCheck.minRows('orders', 301)] });
    expect([r.workExit, r.reporterExit, r.pushed]).toEqual(['1', 1, '0']);
    expect(r.reports).toEqual([expect.stringContaining('Failed: orders has 300 rows, expected at least 301')]);
  });

  test('a figure with a tab, a newline, quotes and a backslash still makes valid JSON', async () => {
    const r = await pod('awkward figure', { checks: [RestoreCheck.query('awkward', "SELECT E'a\\tb \"q\" \\\\ c' || chr(10) || 'd'", 'x')] });
    expect(r.workExit).toBe('1');
    // The receiver parsed the body as JSON; the text keeps every character.
    expect(r.reports).toEqual([expect.stringContaining("query awkward returned 'a\tb \"q\" \\ c\nd', expected 'x'")]);
  });

  test('pg_restore fails: exit 1, the failure is reported', async () => {
    const r = await pod('pg_restore fails', { fakes: { pg_restore: 'echo "pg_restore: error: injected" >&2; exit 1' } });
    expect([r.workExit, r.reporterExit, r.pushed]).toEqual(['1', 1, '0']);
    expect(r.reports).toEqual([expect.stringContaining('Failed: pg_restore failed on')]);
    expect(r.scratchLeft).toEqual([]);
  });

  test('a dead webhook: the metrics still go out, and the reporter fails the Job', async () => {
    const r = await pod('dead webhook', { webhookUrl: `http://127.0.0.1:${deadPort}/hook` });
    expect([r.workExit, r.reporterExit, r.pushed]).toEqual(['0', DELIVERY_FAILED, '1']);
    expect(r.reporterLog).toContain('could not post the report to the webhook');
  });

  test('a dead Pushgateway: the report still goes out, and the reporter fails the Job', async () => {
    const r = await pod('dead Pushgateway', { pushgatewayUrl: `http://127.0.0.1:${deadPort}` });
    expect([r.workExit, r.reporterExit, r.pushed]).toEqual(['0', DELIVERY_FAILED, undefined]);
    expect(r.reports).toHaveLength(1);
    expect(r.reporterLog).toContain('could not push metrics to the Pushgateway');
  });

  test('a run over its time budget is stopped by the wrapper and still reports', async () => {
    const r = await pod('time limit reached', { budgetSeconds: 3, fakes: { initdb: 'exec sleep 600' } });
    expect([r.workExit, r.reporterExit, r.pushed]).toEqual(['143', 143, '0']);
    expect(r.reports).toEqual([expect.stringContaining('Failed: stopped by a signal (time limit reached or pod deleted)')]);
    expect(`${r.wrapper.stderr}`).toContain('time limit reached (3s)');
    expect(r.scratchLeft).toEqual([]);
  });

  test('a work process killed outright (SIGKILL, OOM): the reporter still sends one failure report', async () => {
    const r = await pod('work killed (SIGKILL)', { fakes: { initdb: 'kill -KILL "$PPID"; sleep 5' } });
    expect([r.workExit, r.reporterExit, r.pushed]).toEqual(['137', 137, undefined]);
    expect(r.reports).toEqual(['Restore test of shop failed with exit code 137 (pod shop-restore-test-8)']);
  });

  test('no exit code at all (the work container never finished): a failure report, exit 127', async () => {
    const r = await pod('empty exit-code file', { fakes: { initdb: 'kill -KILL "$PPID"; sleep 5' }, exitCodeFile: '' });
    expect(r.reporterExit).toBe(127);
    expect(r.reports).toEqual(['Restore test of shop ended without an exit code (killed, or out of memory) (pod shop-restore-test-9)']);
  });

  test('#11.9 Pushgateway credentials and the webhook URL reach curl from the environment, never on a command line', async () => {
    // A Pushgateway stand-in that keeps the Authorization header, and a curl that notes its argv.
    const seen: string[] = [];
    const gateway = http.createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const dir = path.join(work.path, 'auth');
      const bin = path.join(dir, 'bin');
      run('/bin/mkdir', ['-p', bin]);
      writeServiceFile(path.join(dir, 'exit-code'), '0\n');
      writeServiceFile(path.join(dir, 'metrics.prom'), 'pgrel_restore_test_success 1\n');
      writeServiceFile(path.join(dir, 'message.json'), '{"text":"ok"}\n');
      const argvLog = path.join(dir, 'argv.log');
      writeServiceFile(path.join(bin, 'curl'), `#!/bin/sh\necho "$*" >> '${argvLog}'\nexec /usr/bin/curl "$@"\n`, 0o755);
      const password = 'p "w" \\ :x$(id)';
      const reporter = startService('reporter', '/bin/sh', ['-c', NOTIFIER_SCRIPT], {
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          JOB_STATUS_FILE: path.join(dir, 'exit-code'),
          JOB_DESCRIPTION: 'Restore test of shop',
          POD_NAME: 'p',
          WEBHOOK_URL: `${receiver.url}?token=webhook-secret`,
          PUSHGATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
          PUSH_JOB,
          PUSHGATEWAY_USERNAME: 'pusher',
          PUSHGATEWAY_PASSWORD: password,
        },
      });
      expect(await reporter.exited).toBe(0);
      expect(seen).toEqual([`Basic ${Buffer.from(`pusher:${password}`).toString('base64')}`]);
      const argv = fs.readFileSync(argvLog, 'utf8');
      expect(argv).toContain('--data-binary');
      expect(argv).not.toContain('webhook-secret');
      expect(argv).not.toContain('pusher');
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});
