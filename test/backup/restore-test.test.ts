import { Duration, Size, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { backupChart } from './fixtures';
import { DumpStorage, RecoveryTarget, RestoreCheck, RestoreSource, RestoreTest, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

describe('RestoreTest', () => {
  test('weekly pgBackRest restore test: Wednesday 06:00, Forbid, 1h deadline, 1Gi/500m requests, 2Gi limit, report and metrics', () => {
    const { chart, settings, ref } = backupChart();
    const test = new RestoreTest(chart, 'RestoreTest', {
      source: RestoreSource.pgBackRest(settings),
      database: 'app',
      checks: [RestoreCheck.tableExists('orders'), RestoreCheck.minRows('orders', 1000), RestoreCheck.freshness('orders', 'created_at'), RestoreCheck.integrity()],
      scratchSize: Size.gibibytes(50),
      reportWebhook: ref('restore-webhook', 'url'),
      pushgatewayUrl: 'http://pushgateway.monitoring:9091',
    });
    const manifests = synthValidated(chart);
    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    expect(cronJob.spec).toMatchObject({ schedule: '0 6 * * WED', concurrencyPolicy: 'Forbid' });
    expect(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
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
    const { chart, settings } = backupChart();
    const test = new RestoreTest(chart, 'T', {
      source: RestoreSource.pgBackRest(settings, { label: '20261122-020000F', target: RecoveryTarget.time('2026-11-22T03:00:00Z') }),
      checks: [RestoreCheck.tableExists('orders')],
    });
    // One shell word per option, the space in the time included.
    expect(test.script).toContain("'--set=20261122-020000F' '--type=time' '--target=2026-11-22 03:00:00+00' '--target-action=promote'");
  });

  test('pg_dump source reads the dump claim read-only', () => {
    const chart = Testing.chart();
    new RestoreTest(chart, 'T', { source: RestoreSource.pgDump(DumpStorage.existingClaim('shop-dumps'), 'shop'), checks: [RestoreCheck.minRows('orders', 1)] });
    const pod = synthValidated(chart).find((m) => m.kind === 'CronJob').spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].image).toBe('docker.io/library/postgres:15.18-bookworm');
    expect(pod.volumes).toContainEqual({ name: 'dumps', persistentVolumeClaim: { claimName: 'shop-dumps', readOnly: true } });
  });

  test('invalid input', () => {
    const { chart, settings } = backupChart();
    const source = RestoreSource.pgBackRest(settings);
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
});
