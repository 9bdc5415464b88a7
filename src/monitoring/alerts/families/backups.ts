import { Duration } from 'cdk8s';
import type { BackupAlertOptions, RestoreTestAlertOptions } from '../alert-options';
import { AlertRule, MetricSource, Severity } from '../alert-rule';
import { promDuration } from '../prom-values';
import { AlertContext, anyOf, cronJobLastRunFailed, cronJobRegex, cronJobTooOld } from './cronjobs';

export function backupRules(o: BackupAlertOptions, ctx: AlertContext): AlertRule[] {
  const full = o.fullMaxAge ?? Duration.days(8);
  const selected = {
    full: cronJobRegex(ctx, ['backup-full'], o.fullCronJobPattern),
    diff: cronJobRegex(ctx, ['backup-diff'], o.differentialCronJobPattern),
    incr: cronJobRegex(ctx, ['backup-incr'], o.incrementalCronJobPattern),
    dump: cronJobRegex(ctx, ['dump'], o.dumpCronJobPattern),
  };
  const jobRules = compact([
    ...(o.source === MetricSource.CNPG ? [] : [
      tooOld('PostgresFullBackupTooOld', selected.full, full, Severity.CRITICAL, 'full backup',
        'recovery needs ever more WAL, and retention may soon expire the last good full.'),
      tooOld('PostgresDifferentialBackupTooOld', selected.diff, o.differentialMaxAge ?? Duration.days(8), Severity.WARNING, 'differential backup',
        'recovery replays more WAL on top of the last full.'),
      tooOld('PostgresIncrementalBackupTooOld', selected.incr, o.incrementalMaxAge ?? Duration.days(2), Severity.WARNING, 'incremental backup',
        'recovery replays more WAL on top of the last full or differential.'),
    ]),
    tooOld('PostgresDumpTooOld', selected.dump, o.dumpMaxAge ?? Duration.days(2), Severity.WARNING, 'pg_dump',
      'the newest logical copy of the database is that old.'),
    backupJobFailed(o, selected),
  ]);
  if (o.source === MetricSource.CNPG) return [...cnpgBackupRules(o, full), ...jobRules];
  return [
    ...jobRules,
    {
      name: 'PostgresWalArchivingFailing',
      // The newest run failed, for 5 minutes: pages on archiving that stays broken, not on one
      // failed run (a full bucket, a timeout) that the archiver's retry then archived.
      expr: 'pg_archiver_failing == 1',
      pendingFor: Duration.minutes(5),
      severity: Severity.CRITICAL,
      summary: 'WAL archiving fails on {{ $labels.instance }}',
      description: 'archive_command keeps failing: point-in-time recovery stops at the last archived segment and pg_wal grows until the disk is full.',
    },
  ];
}

function tooOld(
  name: string, regex: string | undefined, maxAge: Duration, severity: Severity, what: string, consequence: string,
): AlertRule | undefined {
  if (regex === undefined) return undefined;
  return {
    name,
    expr: cronJobTooOld(regex, maxAge.toSeconds()),
    pendingFor: Duration.minutes(10),
    severity,
    summary: `No successful ${what} by CronJob {{ $labels.cronjob }} for {{ $value | humanizeDuration }}`,
    description: `The last successful ${what} is older than ${promDuration(maxAge)} (or the CronJob never succeeded since it was created): ${consequence}`,
  };
}

function backupJobFailed(o: BackupAlertOptions, selected: Record<string, string | undefined>): AlertRule | undefined {
  const cronJobs = anyOf(Object.values(selected));
  if (cronJobs === undefined && o.jobPattern === undefined) return undefined;
  return {
    name: 'PostgresBackupJobFailed',
    expr: cronJobLastRunFailed(cronJobs, o.jobPattern),
    severity: Severity.WARNING,
    summary: 'The last run of backup CronJob {{ $labels.cronjob }} failed',
    description: 'The newest backup or dump Job of this CronJob failed and no run has succeeded since; its pod logs say why. The alert resolves when a later run succeeds.',
  };
}

function compact(rules: Array<AlertRule | undefined>): AlertRule[] {
  return rules.filter((r): r is AlertRule => r !== undefined);
}

/** CloudNativePG base backups through the barman-cloud plugin, from the plugin's own metrics. */
function cnpgBackupRules(o: BackupAlertOptions, full: Duration): AlertRule[] {
  const by = o.clusterLabel ?? 'cluster';
  const last = (what: string) => `max by (${by}) (barman_cloud_cloudnative_pg_io_last_${what}_backup_timestamp)`;
  return [
    {
      name: 'PostgresFullBackupTooOld',
      expr: `time() - ${last('available')} > ${full.toSeconds()}`,
      pendingFor: Duration.minutes(10),
      severity: Severity.CRITICAL,
      summary: 'The newest backup of cluster {{ $labels.' + by + ' }} is {{ $value | humanizeDuration }} old',
      description: `No base backup has completed for ${promDuration(full)}: recovery needs ever more WAL, and retention may soon expire the last good backup.`,
    },
    {
      name: 'PostgresBackupFailed',
      expr: `${last('failed')} > ${last('available')}`,
      severity: Severity.WARNING,
      summary: 'The last backup of cluster {{ $labels.' + by + ' }} failed',
      description: 'The most recent base backup failed after the last one that succeeded; the Backup resource\'s status says why.',
    },
    {
      name: 'PostgresWalArchivingFailing',
      expr: 'cnpg_pg_stat_archiver_last_failed_time > cnpg_pg_stat_archiver_last_archived_time',
      pendingFor: Duration.minutes(5),
      severity: Severity.CRITICAL,
      summary: 'WAL archiving fails on {{ $labels.pod }}',
      description: 'archive_command keeps failing: point-in-time recovery stops at the last archived segment and pg_wal grows until the disk is full.',
    },
  ];
}

export function restoreTestRules(o: RestoreTestAlertOptions, ctx: AlertContext): AlertRule[] {
  const maxAge = o.maxAge ?? Duration.days(8);
  const window = o.sloWindow ?? Duration.days(90);
  const slo = o.slo ?? 0.99;
  return [
    {
      name: 'PostgresRestoreTestFailed',
      expr: 'pgrel_restore_test_success == 0',
      severity: Severity.CRITICAL,
      summary: 'The last restore test of {{ $labels.source }} failed',
      description: 'The latest backup could not be restored and validated: until a test passes, assume the backups cannot be restored.',
    },
    {
      name: 'PostgresRestoreTestMissing',
      expr: `time() - pgrel_restore_test_last_success_timestamp_seconds > ${maxAge.toSeconds()}`,
      pendingFor: Duration.minutes(30),
      severity: Severity.CRITICAL,
      summary: 'No successful restore test of {{ $labels.source }} for {{ $value | humanizeDuration }}',
      description: `No restore test has passed for ${promDuration(maxAge)}: the tests are failing or not running at all.`,
    },
    {
      // A test that never reports at all has no timestamp to be old: only absent() sees it.
      name: 'PostgresRestoreTestNeverReported',
      expr: 'absent(pgrel_restore_test_success)',
      pendingFor: maxAge,
      severity: Severity.CRITICAL,
      summary: 'No restore test has reported any result',
      description: `No restore test has pushed a result for ${promDuration(maxAge)}: the tests do not run, or their reports never reach the Pushgateway.`,
    },
    {
      name: 'PostgresRestoreTestSloBreached',
      expr: `avg_over_time(pgrel_restore_test_success[${promDuration(window)}]) < ${slo}`,
      severity: Severity.WARNING,
      summary: 'Restore tests of {{ $labels.source }} pass {{ $value | humanizePercentage }} of the time',
      description: `Fewer than ${slo * 100}% of restore tests passed over ${promDuration(window)}.`,
    },
    ...compact([restoreTestJobFailed(cronJobRegex(ctx, ['restore-test', 'cnpg-restore-test'], o.cronJobPattern))]),
  ];
}

/** Also without a Pushgateway: the restore test's Job itself failed (the test, or its report). */
function restoreTestJobFailed(regex: string | undefined): AlertRule | undefined {
  if (regex === undefined) return undefined;
  return {
    name: 'PostgresRestoreTestJobFailed',
    expr: cronJobLastRunFailed(regex),
    severity: Severity.CRITICAL,
    summary: 'The last run of restore-test CronJob {{ $labels.cronjob }} failed',
    description: 'The newest restore-test Job failed and none has succeeded since: the restore or its checks failed, or its report could not be delivered. Until a run passes, assume the backups cannot be restored.',
  };
}
