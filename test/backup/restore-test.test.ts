import { Duration, Size, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { backupChart } from './fixtures';
import { DumpStorage, RecoveryTarget, RestoreCheck, RestoreSource, RestoreTest, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

describe('RestoreTest', () => {
  test('weekly pgBackRest restore test: Wednesday 06:00, Forbid, 3h deadline (30 min start + 150 min restore), 1Gi/500m requests, 2Gi limit, report and metrics', () => {
    // GIVEN
    const { chart, settings, ref } = backupChart();
    // WHEN
    const test = new RestoreTest(chart, 'RestoreTest', {
      source: RestoreSource.pgBackRest(settings),
      database: 'app',
      checks: [RestoreCheck.tableExists('orders'), RestoreCheck.minRows('orders', 1000), RestoreCheck.freshness('orders', 'created_at'), RestoreCheck.integrity()],
      scratchSize: Size.gibibytes(50),
      reportWebhook: ref('restore-webhook', 'url'),
      pushgatewayUrl: 'http://pushgateway.monitoring:9091',
    });
    const manifests = synthValidated(chart);
    // THEN
    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    expect(cronJob.spec).toMatchObject({ schedule: '0 6 * * WED', concurrencyPolicy: 'Forbid' });
    expect(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(10800);
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const work = pod.initContainers[0];
    expect(work.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '2048Mi' } });
    expect(work.image).toBe('ghcr.io/zalando/spilo-15:3.0-p1');
    expect(pod.volumes.find((v: any) => v.name === 'scratch')).toEqual({ name: 'scratch', emptyDir: { sizeLimit: '51200Mi' } });
    const reporter = pod.containers[0];
    expect(reporter.env).toContainEqual({ name: 'PUSHGATEWAY_URL', value: 'http://pushgateway.monitoring:9091' });
    expect(reporter.env).toContainEqual({ name: 'PUSH_JOB', value: 'pgrel_restore_test/source/app-db' });
    expect(reporter.env).toContainEqual({ name: 'WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'restore-webhook', key: 'url' } } });
    expect(test.script).toContain("--archive-mode=off '--type=immediate' '--target-action=promote'");
    expect(test.script).toContain("db='app'");
    expectRestricted(pod);
    // Repository secrets by reference only.
    expect(Yaml.stringify(...manifests)).not.toMatch(/cipher-pass=|s3-key=/);
  });

  test('a chosen backup set and a point in time', () => {
    // GIVEN
    const { chart, settings } = backupChart();
    // WHEN
    const test = new RestoreTest(chart, 'T', {
      source: RestoreSource.pgBackRest(settings, { label: '20261122-020000F', target: RecoveryTarget.time('2026-11-22T03:00:00Z') }),
      checks: [RestoreCheck.tableExists('orders')],
    });
    // THEN one shell word per option, the space in the time included
    expect(test.script).toContain("'--set=20261122-020000F' '--type=time' '--target=2026-11-22 03:00:00+00' '--target-action=promote'");
  });

  test('pg_dump source reads the dump claim read-only', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new RestoreTest(chart, 'T', { source: RestoreSource.pgDump(DumpStorage.existingClaim('shop-dumps'), 'shop'), checks: [RestoreCheck.minRows('orders', 1)] });
    // THEN
    const pod = synthValidated(chart).find((m) => m.kind === 'CronJob').spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].image).toBe('docker.io/library/postgres:15.18-bookworm');
    expect(pod.volumes).toContainEqual({ name: 'dumps', persistentVolumeClaim: { claimName: 'shop-dumps', readOnly: true } });
  });

  test('invalid input', () => {
    // GIVEN
    const { chart, settings } = backupChart();
    const source = RestoreSource.pgBackRest(settings);
    // WHEN / THEN each bad prop is refused
    expect(() => new RestoreTest(chart, 'A', { source, checks: [] })).toThrow('[test/A] checks: got []; at least one check');
    expect(() => new RestoreTest(chart, 'B', { source: RestoreSource.pgBackRest(settings, { label: 'latest' }), checks: [RestoreCheck.integrity()] }))
      .toThrow('[test/B] source.label: got "latest"; a pgBackRest backup label');
    expect(() => new RestoreTest(chart, 'C', { source, checks: [RestoreCheck.integrity()], pushgatewayUrl: 'pushgateway:9091' })).toThrow('[test/C] pushgatewayUrl: got "pushgateway:9091"');
    expect(() => new RestoreTest(chart, 'D', { source: RestoreSource.pgDump(DumpStorage.newClaim(Size.gibibytes(1)), 'shop'), checks: [RestoreCheck.integrity()] }))
      .toThrow('restore tests read dumps from an existing claim');
    expect(() => RestoreCheck.minRows('orders; DROP TABLE x', 1)).toThrow('[RestoreCheck] table: got "orders; DROP TABLE x"');
    expect(() => RestoreCheck.query('Bad Name', 'SELECT 1', '1')).toThrow('[RestoreCheck] query.name: got "Bad Name"');
    expect(() => RestoreCheck.freshness('orders', 'created at', Duration.hours(1))).toThrow('[RestoreCheck] freshness.column: got "created at"');
    void kplus; void SecretKeyRef;
  });

  test('issue 13: GIVEN query names that are not lower-case words WHEN a query check is made THEN each is refused, saying what a name may be', () => {
    // GIVEN
    const refused = ['Currency', 'orders-count', '1st', 'two words', '', 'naïve', 'x;drop'];
    for (const name of refused) {
      // WHEN / THEN
      expect(() => RestoreCheck.query(name, 'SELECT 1', '1')).toThrow(
        `[RestoreCheck] query.name: got ${JSON.stringify(name)}; a lower-case letter, then lower-case letters, digits and "_" (e.g. "currency_count"): the name labels reports and is not SQL`);
    }
    // and a good name labels the check and its report, while the SQL runs as written
    const check = RestoreCheck.query('orders_2026', 'SELECT count(*) FROM "Orders"', '3');
    expect(check.id).toBe('query_orders_2026');
    expect(check._bash.join('\n')).toContain('q \'SELECT count(*) FROM "Orders"\'');
  });

  test('#10.3 a pg_dump source database is validated exactly as PgDumpBackup validates it', () => {
    // GIVEN
    const chart = Testing.chart();
    const claim = DumpStorage.existingClaim('dumps');
    // WHEN / THEN
    expect(() => new RestoreTest(chart, 'T', { source: RestoreSource.pgDump(claim, 'x$(touch /tmp/p)'), checks: [RestoreCheck.integrity()] }))
      .toThrow('[test/T] source.database: got "x$(touch /tmp/p)"; a database name of at most 63 letters, digits, "_" and "-"');
  });

  test('#10.15 activeDeadline leaves the work a budget and the reporter its last five minutes', () => {
    // GIVEN
    const { chart, settings, ref } = backupChart();
    // WHEN
    new RestoreTest(chart, 'T', { source: RestoreSource.pgBackRest(settings), checks: [RestoreCheck.integrity()], reportWebhook: ref('hook', 'url') });
    // THEN
    const job = synthValidated(chart).find((m) => m.kind === 'CronJob').spec.jobTemplate.spec;
    expect(job.activeDeadlineSeconds).toBe(10800);
    expect(job.template.spec.initContainers[0].env).toContainEqual({ name: 'WORK_BUDGET', value: String(10800 - 300) });
    // A report that could not be delivered fails the Job without running the restore again.
    expect(job.podFailurePolicy).toEqual({ rules: [{ action: 'FailJob', onExitCodes: { containerName: 'notify', operator: 'In', values: [75] } }] });
    expect(job.template.spec.restartPolicy).toBe('Never');
    expect(() => new RestoreTest(chart, 'U', { source: RestoreSource.pgBackRest(settings), checks: [RestoreCheck.integrity()], startTimeout: Duration.hours(1), activeDeadline: Duration.hours(1) }))
      .toThrow('[test/U] activeDeadline: got "60 minutes"; at least startTimeout + 15 minutes (75 minutes)');
  });

  test('#10.16 checks quote identifiers, so reserved words and mixed case name the table meant', () => {
    // GIVEN / WHEN checks on a reserved word, a mixed-case table and a schema-qualified one
    // THEN each part is double-quoted
    expect(RestoreCheck.minRows('user', 1)._bash.join('\n')).toContain('q \'SELECT count(*) FROM "user"\'');
    expect(RestoreCheck.tableExists('Orders')._bash.join('\n')).toContain('q \'SELECT to_regclass(\'\\\'\'"Orders"\'\\\'\') IS NOT NULL\'');
    expect(RestoreCheck.freshness('shop.Orders', 'At', Duration.hours(1))._bash.join('\n')).toContain('max("At")::text, \'\\\'\'none\'\\\'\') FROM "shop"."Orders"');
  });

  test('#11.8 a restore test reports through reportWebhook: it has no failureWebhook prop that would get success reports', () => {
    // GIVEN
    const { chart, settings, ref } = backupChart();
    const hook = ref('hook', 'url');
    // WHEN
    // @ts-expect-error failureWebhook belongs to backups and dumps, which report only failures
    new RestoreTest(chart, 'T', { source: RestoreSource.pgBackRest(settings), checks: [RestoreCheck.integrity()], failureWebhook: hook });
    new RestoreTest(chart, 'U', { source: RestoreSource.pgBackRest(settings), checks: [RestoreCheck.integrity()], reportWebhook: hook });
    // THEN
    const notifier = synthValidated(chart).filter((m) => m.kind === 'CronJob').map((m) => m.spec.jobTemplate.spec.template.spec.containers[0]);
    expect(notifier.map((c) => c.name)).toEqual(['restore-test', 'notify']);
    expect(notifier[1].env).toContainEqual({ name: 'WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'hook', key: 'url' } } });
  });

  test('#11.9 credentials in pushgatewayUrl are refused without repeating them; pushgatewayCredentials come from Secrets', () => {
    // GIVEN
    const { chart, settings, ref } = backupChart();
    const source = RestoreSource.pgBackRest(settings);
    // WHEN / THEN
    expect(() => new RestoreTest(chart, 'T', { source, checks: [RestoreCheck.integrity()], pushgatewayUrl: 'http://pusher:s3cret@pushgateway:9091' }))
      .toThrow('[test/T] pushgatewayUrl: got "http://<credentials>@pushgateway:9091"; no credentials in a URL (they would be in the YAML): give them from a Secret (e.g. pushgatewayCredentials)');
    new RestoreTest(chart, 'U', {
      source,
      checks: [RestoreCheck.integrity()],
      pushgatewayUrl: 'https://pushgateway.monitoring:9091',
      pushgatewayCredentials: { username: ref('pushgateway-auth', 'username'), password: ref('pushgateway-auth', 'password') },
    });
    const manifests = synthValidated(chart);
    const env = manifests.find((m) => m.kind === 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'PUSHGATEWAY_USERNAME', valueFrom: { secretKeyRef: { name: 'pushgateway-auth', key: 'username' } } });
    expect(env).toContainEqual({ name: 'PUSHGATEWAY_PASSWORD', valueFrom: { secretKeyRef: { name: 'pushgateway-auth', key: 'password' } } });
    expect(JSON.stringify(manifests)).not.toContain('s3cret');
  });
});
