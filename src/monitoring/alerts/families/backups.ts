import { Duration } from 'cdk8s';
import type { BackupAlertOptions, RestoreTestAlertOptions } from '../alert-family';
import { AlertRule, MetricSource, Severity, promDuration } from '../alert-rule';

export function backupRules(o: BackupAlertOptions): AlertRule[] {
  const full = o.fullMaxAge ?? Duration.days(8);
  const incr = o.incrementalMaxAge ?? Duration.days(2);
  if (o.source === MetricSource.CNPG) return cnpgBackupRules(o, full);
  const age = (pattern: string) => `time() - max by (cronjob) (kube_cronjob_status_last_successful_time{cronjob=~"${pattern}"})`;
  return [
    {
      name: 'PostgresFullBackupTooOld',
      expr: `${age(o.fullCronJobPattern ?? '.*-full-.*')} > ${full.toSeconds()}`,
      for: Duration.minutes(10),
      severity: Severity.CRITICAL,
      summary: 'No successful full backup by {{ $labels.cronjob }} for {{ $value | humanizeDuration }}',
      description: `The last successful full backup is older than ${promDuration(full)}: recovery needs ever more WAL, and retention may soon expire the last good full.`,
    },
    {
      name: 'PostgresIncrementalBackupTooOld',
      expr: `${age(o.incrementalCronJobPattern ?? '.*-incr-.*')} > ${incr.toSeconds()}`,
      for: Duration.minutes(10),
      severity: Severity.WARNING,
      summary: 'No successful incremental backup by {{ $labels.cronjob }} for {{ $value | humanizeDuration }}',
      description: `The last successful incremental backup is older than ${promDuration(incr)}.`,
    },
    {
      name: 'PostgresBackupJobFailed',
      expr: `kube_job_status_failed{job_name=~"${o.jobPattern ?? '.*-(full|diff|incr)-.*'}"} > 0`,
      severity: Severity.WARNING,
      summary: 'Backup job {{ $labels.job_name }} failed',
      description: 'A scheduled backup run failed; its pod logs say why. The next scheduled run will try again.',
    },
    {
      name: 'PostgresWalArchivingFailing',
      expr: 'increase(pg_archiver_failed_count[10m]) > 0',
      for: Duration.minutes(5),
      severity: Severity.CRITICAL,
      summary: 'WAL archiving fails on {{ $labels.instance }}',
      description: 'archive_command keeps failing: point-in-time recovery stops at the last archived segment and pg_wal grows until the disk is full.',
    },
  ];
}

/** CloudNativePG base backups through the barman-cloud plugin, from the plugin's own metrics. */
function cnpgBackupRules(o: BackupAlertOptions, full: Duration): AlertRule[] {
  const by = o.clusterLabel ?? 'cluster';
  const last = (what: string) => `max by (${by}) (barman_cloud_cloudnative_pg_io_last_${what}_backup_timestamp)`;
  return [
    {
      name: 'PostgresFullBackupTooOld',
      expr: `time() - ${last('available')} > ${full.toSeconds()}`,
      for: Duration.minutes(10),
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
      expr: 'increase(cnpg_pg_stat_archiver_failed_count[10m]) > 0',
      for: Duration.minutes(5),
      severity: Severity.CRITICAL,
      summary: 'WAL archiving fails on {{ $labels.pod }}',
      description: 'archive_command keeps failing: point-in-time recovery stops at the last archived segment and pg_wal grows until the disk is full.',
    },
  ];
}

export function restoreTestRules(o: RestoreTestAlertOptions): AlertRule[] {
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
      for: Duration.minutes(30),
      severity: Severity.CRITICAL,
      summary: 'No successful restore test of {{ $labels.source }} for {{ $value | humanizeDuration }}',
      description: `No restore test has passed for ${promDuration(maxAge)}: the tests are failing or not running at all.`,
    },
    {
      // A test that never reports at all has no timestamp to be old: only absent() sees it.
      name: 'PostgresRestoreTestNeverReported',
      expr: 'absent(pgrel_restore_test_success)',
      for: maxAge,
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
  ];
}
