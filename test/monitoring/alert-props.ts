import { Chart, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { AlertFamily, PostgresAlerts, Severity } from '../../src';
import { JobKind, registerJob } from '../../src/core/job-registry';
import { awkwardStrings } from '../helpers/awkward';

/**
 * Arbitrary PostgresAlerts props, valid and not: thresholds, label names, RE2 patterns, library
 * CronJobs in the app and custom alerts. Shared by the unit property test (a clear error or
 * schema-valid output) and the contract test (promtool must accept whatever is accepted).
 */
const ratio = fc.oneof(
  { arbitrary: fc.double({ min: 0.05, max: 0.9, noNaN: true }), weight: 20 },
  { arbitrary: fc.constantFrom(0, -0.5, 1.5), weight: 1 },
);

/** Each invalid choice is rare, so that about half of the cases are accepted as a whole. */
const rarely = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 30 }, { arbitrary: invalid, weight: 1 });

const labelName = rarely(
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,12}$/),
  fc.constantFrom('app.kubernetes.io/part-of', 'team-name', '__reserved', '9lives', ''),
);

/** RE2 as people write it, plus what RE2 refuses and what JavaScript would read differently. */
const pattern = fc.oneof(
  { arbitrary: fc.constantFrom('(?i)db-\\d+-full', '.*-full-.*', '\\bnightly\\b', 'a"b', '[[:alpha:]]+-[0-9]{2,4}', '\\Qa.b\\E', '(?P<n>x)|y', '\\pL+', 'x{,3}', '[]a]+', '\\x{41}\\012'), weight: 24 },
  { arbitrary: fc.constantFrom('(?=x)', '(a)\\1', '(', 'a**', '\\C', '(?<n>x)', '[[:nope:]]', 'a{1001}', '\\'), weight: 1 },
  { arbitrary: awkwardStrings({ maxLength: 12 }), weight: 2 },
);

/** Custom alert expressions: matchers with regexes and escapes, some broken. */
const expr = fc.oneof(
  { arbitrary: pattern.map((p) => `up{job=~${JSON.stringify(p)}} == 0`), weight: 6 },
  { arbitrary: fc.constantFrom('sum by (job) (rate(http_requests_total[5m])) > 10', 'absent(up{job="db"})', 'up{job="a\\\\b"} == 0 # a comment'), weight: 6 },
  { arbitrary: fc.constantFrom('up{job=~"\\d"}', 'sum(rate(x[5m]) > 1', 'up{job="unterminated} == 0', 'up{job=~"(?=x)"}'), weight: 1 },
);

export const ALERT_PROPS = fc.record({
  warning: ratio,
  // Above the warning ratio, except rarely.
  criticalMargin: rarely(fc.double({ min: 0.01, max: 0.09, noNaN: true }), fc.constantFrom(0, -0.2)),
  xid: rarely(fc.integer({ min: 1_000_000, max: 2_000_000_000 }), fc.constantFrom(0, 3e9)),
  waiting: rarely(fc.integer({ min: 1, max: 100 }), fc.constantFrom(-1, 0)),
  lagSeconds: fc.integer({ min: 1, max: 3600 }),
  sizeGiB: rarely(fc.integer({ min: 1, max: 500 }), fc.constant(0)),
  clusterLabel: fc.option(labelName, { nil: undefined }),
  labels: fc.dictionary(labelName, awkwardStrings({ maxLength: 10 }), { maxKeys: 2 }),
  fullPattern: fc.option(pattern, { nil: undefined }),
  jobPattern: fc.option(pattern, { nil: undefined }),
  cronJobs: fc.array(fc.constantFrom<JobKind>('backup-full', 'backup-diff', 'backup-incr', 'dump', 'restore-test', 'cnpg-restore-test'), { maxLength: 4 }),
  custom: fc.option(fc.record({ name: fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,15}$/), expr, forMinutes: fc.integer({ min: 0, max: 120 }), label: labelName }), { nil: undefined }),
});

export type AlertProps = typeof ALERT_PROPS extends fc.Arbitrary<infer T> ? T : never;

/** Builds the app's library CronJobs (as `scheduledJob` marks them) and the PostgresAlerts. */
export function buildAlerts(chart: Chart, p: AlertProps): PostgresAlerts {
  p.cronJobs.forEach((kind, i) => {
    const job = new kplus.CronJob(chart, `Job${i}`, { schedule: Cron.daily(), containers: [{ image: 'busybox:1.36', securityContext: { user: 1000 } }] });
    registerJob(job, kind);
  });
  const alerts = new PostgresAlerts(chart, 'Alerts', {
    labels: p.labels,
    families: [
      AlertFamily.availability({ clusterLabel: p.clusterLabel }),
      AlertFamily.connections({ warningRatio: p.warning, criticalRatio: p.warning + p.criticalMargin }),
      AlertFamily.maintenance({ maxXidAge: p.xid }),
      AlertFamily.pooling({ maxWaitingClients: p.waiting }),
      AlertFamily.replication({ maxLag: Duration.seconds(p.lagSeconds) }),
      AlertFamily.storage({ sizeLimit: Size.gibibytes(p.sizeGiB) }),
      AlertFamily.backups({ fullCronJobPattern: p.fullPattern, jobPattern: p.jobPattern }),
      AlertFamily.restoreTests(),
    ],
  });
  if (p.custom) {
    alerts.addAlert({
      name: p.custom.name,
      expr: p.custom.expr,
      pendingFor: Duration.minutes(p.custom.forMinutes),
      severity: Severity.WARNING,
      summary: '{{ $labels.job }} is {{ $value }}',
      description: 'A custom alert.',
      labels: { [p.custom.label]: 'x' },
    });
  }
  return alerts;
}
