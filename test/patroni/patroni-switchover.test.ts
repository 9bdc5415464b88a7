import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PatroniCluster, PatroniSwitchover, Schedule, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function setup() {
  const chart = Testing.chart();
  const secret = kplus.Secret.fromSecretName(chart, 'Passwords', 'app-db-passwords');
  const cluster = new PatroniCluster(chart, 'Db', {
    settings: { scope: 'app-db' },
    passwords: { superuser: SecretKeyRef.of(secret, 'su'), replication: SecretKeyRef.of(secret, 'repl'), rewind: SecretKeyRef.of(secret, 'rewind'), restApi: SecretKeyRef.of(secret, 'rest') },
  });
  return { chart, cluster };
}

describe('PatroniSwitchover', () => {
  test('GIVEN no schedule WHEN synthesized THEN a restricted one-shot Job, never retried, posts to the members\' REST API with the REST password from the Secret', () => {
    const { chart, cluster } = setup();
    new PatroniSwitchover(chart, 'Switchover', { cluster, candidate: 'app-db-2' });
    const job = synthValidated(chart).find((m) => m.kind === 'Job');
    expect(job.spec.backoffLimit).toBe(0);
    const pod = job.spec.template.spec;
    expectRestricted(pod);
    expect(pod.automountServiceAccountToken).toBe(false);
    const container = pod.containers[0];
    expect(container.image).toBe('ghcr.io/zalando/spilo-15:3.0-p1');
    expect(container.command.slice(0, 2)).toEqual(['python3', '-c']);
    expect(container.command[2]).toContain('"/switchover"');
    expect(container.env).toEqual([
      { name: 'PATRONI_URL', value: 'http://app-db-members:8008' },
      { name: 'SWITCHOVER_CANDIDATE', value: 'app-db-2' },
      { name: 'PATRONI_RESTAPI_USERNAME', value: 'patroni' },
      { name: 'PATRONI_RESTAPI_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-passwords', key: 'rest' } } },
    ]);
  });

  test('GIVEN a schedule WHEN synthesized THEN a CronJob runs the switchover in the window, never retried', () => {
    const { chart, cluster } = setup();
    new PatroniSwitchover(chart, 'Switchover', { cluster, schedule: Schedule.cron({ minute: '0', hour: '3', weekDay: 'SUN' }) });
    const cronJob = synthValidated(chart).find((m) => m.kind === 'CronJob');
    expect(cronJob.spec.schedule).toBe('0 3 * * SUN');
    expect(cronJob.spec.jobTemplate.spec.backoffLimit).toBe(0);
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
  });

  test.each([
    [{ candidate: 'app db' }, 'candidate: got "app db"; a member name'],
    [{ failureWebhook: 'x' as never }, 'failureWebhook: got "set"; failure notification needs a schedule'],
  ])('GIVEN %j WHEN constructed THEN the error names the prop', (bad, message) => {
    const { chart, cluster } = setup();
    expect(() => new PatroniSwitchover(chart, 'Switchover', { cluster, ...bad })).toThrow(`[test/Switchover] ${message}`);
  });
});
