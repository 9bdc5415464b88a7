/**
 * Hand-written promtool cases: for every alert, input series that must make it fire (with the
 * labels it must carry) and series that must leave it silent. Annotations are checked by
 * `promtool check rules` (template syntax) rather than compared here.
 */
export interface AlertCase {
  readonly alert: string;
  /** Sample interval of the series. */
  readonly interval?: string;
  readonly evalTime: string;
  readonly firing: { readonly series: Record<string, string>; readonly labels: Array<Record<string, string>> };
  readonly silent: { readonly series: Record<string, string> };
}

const one = (labels: Record<string, string>) => [labels];

/**
 * kube-state-metrics series of one CronJob run as a Job (`<cronjob>-<minutes>`): owner, start time
 * and the Failed condition, present from `from` (a sample index) on.
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md
 */
export function jobRun(cronJob: string, minute: number, failed: boolean, from: number, samples: number, namespace = 'db'): Record<string, string> {
  const job = `job_name="${cronJob}-${minute}",namespace="${namespace}"`;
  const present = (value: string) => `${from > 0 ? `_x${from - 1} ` : ''}${value}x${samples - from}`;
  return {
    [`kube_job_owner{${job},owner_kind="CronJob",owner_name="${cronJob}",owner_is_controller="true"}`]: present('1'),
    [`kube_job_status_start_time{${job}}`]: present(String(minute * 60)),
    [`kube_job_failed{${job},condition="true"}`]: present(failed ? '1' : '0'),
  };
}

/** The CronJob's last success: absent before sample `from`, then the completion time `seconds`. */
export function lastSuccess(cronJob: string, seconds: number, from: number, samples: number, namespace = 'db'): Record<string, string> {
  return { [`kube_cronjob_status_last_successful_time{cronjob="${cronJob}",namespace="${namespace}"}`]: `${from > 0 ? `_x${from - 1} ` : ''}${seconds}x${samples - from}` };
}

/** Fires when the CronJob's newest run failed after its last success; silent when it succeeded last. */
function lastRunFailed(alert: string, cronJob: string, severity: string): AlertCase {
  return {
    alert,
    evalTime: '20m',
    // Succeeded at minute 2, failed at minute 10.
    firing: { series: { ...jobRun(cronJob, 1, false, 1, 30), ...lastSuccess(cronJob, 120, 2, 30), ...jobRun(cronJob, 10, true, 10, 30) }, labels: one({ cronjob: cronJob, namespace: 'db', severity }) },
    // A Job that failed and is not owned by a selected CronJob does not page the database team.
    silent: { series: { ...jobRun('nightly-report', 10, true, 10, 30) } },
  };
}

/** Fires when the last success is older than the threshold; silent while successes keep coming. */
function tooOld(alert: string, cronJob: string, severity: string, evalTime: string, samples: number): AlertCase[] {
  const created = { [`kube_cronjob_created{cronjob="${cronJob}",namespace="db"}`]: `0x${samples}` };
  return [{
    alert,
    evalTime,
    firing: { series: { ...created, [`kube_cronjob_status_last_successful_time{cronjob="${cronJob}",namespace="db"}`]: `0x${samples}` }, labels: one({ cronjob: cronJob, namespace: 'db', severity }) },
    silent: { series: { ...created, [`kube_cronjob_status_last_successful_time{cronjob="${cronJob}",namespace="db"}`]: `0+60x${samples}` } },
  }, {
    // Never succeeded since it was created: counted from creation.
    alert,
    evalTime,
    firing: { series: created, labels: one({ cronjob: cronJob, namespace: 'db', severity }) },
    silent: { series: { [`kube_cronjob_created{cronjob="${cronJob}",namespace="db"}`]: `0+60x${samples}` } },
  }];
}

export const EXPORTER_CASES: AlertCase[] = [
  {
    alert: 'PostgresInstanceDown',
    evalTime: '3m',
    firing: { series: { 'pg_up{instance="db-0"}': '0x5' }, labels: one({ instance: 'db-0', severity: 'critical' }) },
    silent: { series: { 'pg_up{instance="db-0"}': '1x5' } },
  },
  {
    alert: 'PostgresNoPrimary',
    evalTime: '3m',
    firing: { series: { 'pg_recovery_in_recovery{cluster="a",instance="a-1"}': '1x5', 'pg_recovery_in_recovery{cluster="a",instance="a-2"}': '1x5' }, labels: one({ cluster: 'a', severity: 'critical' }) },
    silent: { series: { 'pg_recovery_in_recovery{cluster="a",instance="a-0"}': '0x5', 'pg_recovery_in_recovery{cluster="a",instance="a-1"}': '1x5' } },
  },
  {
    alert: 'PostgresSplitBrain',
    evalTime: '2m',
    firing: {
      series: { 'pg_recovery_in_recovery{cluster="a",instance="a-0"}': '0x5', 'pg_recovery_in_recovery{cluster="a",instance="a-1"}': '0x5', 'pg_recovery_in_recovery{cluster="b",instance="b-0"}': '0x5' },
      labels: one({ cluster: 'a', severity: 'critical' }),
    },
    // One primary in each of two clusters is not a split brain: the count is per cluster.
    silent: { series: { 'pg_recovery_in_recovery{cluster="a",instance="a-0"}': '0x5', 'pg_recovery_in_recovery{cluster="a",instance="a-1"}': '1x5', 'pg_recovery_in_recovery{cluster="b",instance="b-0"}': '0x5' } },
  },
  {
    alert: 'PostgresReplicationLagHigh',
    evalTime: '4m',
    firing: { series: { 'pg_replica_lag_seconds{instance="db-1"}': '45x6' }, labels: one({ instance: 'db-1', severity: 'warning' }) },
    silent: { series: { 'pg_replica_lag_seconds{instance="db-1"}': '10x6' } },
  },
  {
    alert: 'PostgresReplicationLagBytesHigh',
    evalTime: '7m',
    firing: { series: { 'pg_replication_client_lag_bytes{instance="db-0",application_name="db-1"}': '2e9x10' }, labels: one({ instance: 'db-0', application_name: 'db-1', severity: 'warning' }) },
    silent: { series: { 'pg_replication_client_lag_bytes{instance="db-0",application_name="db-1"}': '1e6x10' } },
  },
  {
    alert: 'PostgresReplicaNotStreaming',
    evalTime: '7m',
    firing: { series: { 'pg_wal_receiver_streaming{instance="db-1"}': '0x10' }, labels: one({ instance: 'db-1', severity: 'critical' }) },
    silent: { series: { 'pg_wal_receiver_streaming{instance="db-1"}': '1x10' } },
  },
  {
    alert: 'PostgresReplicationSlotInactive',
    evalTime: '35m',
    firing: {
      series: { 'pg_replication_slot_inactive{instance="db-0",slot_name="old"}': '1x40', 'pg_replication_slot_retained_bytes{instance="db-0",slot_name="old"}': '2e10x40' },
      labels: one({ instance: 'db-0', slot_name: 'old', severity: 'critical' }),
    },
    silent: { series: { 'pg_replication_slot_inactive{instance="db-0",slot_name="old"}': '1x40', 'pg_replication_slot_retained_bytes{instance="db-0",slot_name="old"}': '1e6x40' } },
  },
  {
    alert: 'PostgresReplicationSlotRetainingWal',
    evalTime: '20m',
    // A connected consumer holding 12 GB for 20 minutes: more than the 10 GiB default.
    firing: {
      series: { 'pg_replication_slot_inactive{instance="db-0",slot_name="db_1"}': '0x25', 'pg_replication_slot_retained_bytes{instance="db-0",slot_name="db_1"}': '1.2e10x25' },
      labels: one({ instance: 'db-0', slot_name: 'db_1', severity: 'warning' }),
    },
    // The same WAL held by an inactive slot is PostgresReplicationSlotInactive's (critical), not this warning's.
    silent: { series: { 'pg_replication_slot_inactive{instance="db-0",slot_name="db_1"}': '1x25', 'pg_replication_slot_retained_bytes{instance="db-0",slot_name="db_1"}': '1.2e10x25' } },
  },
  {
    alert: 'PostgresReplicationSlotRetainingWal',
    evalTime: '20m',
    // The threshold is 10 GiB (10737418240 bytes), not 10 GB: 11 GB fires, 10 GB is silent.
    firing: {
      series: { 'pg_replication_slot_inactive{instance="db-0",slot_name="db_2"}': '0x25', 'pg_replication_slot_retained_bytes{instance="db-0",slot_name="db_2"}': '1.1e10x25' },
      labels: one({ instance: 'db-0', slot_name: 'db_2', severity: 'warning' }),
    },
    silent: { series: { 'pg_replication_slot_inactive{instance="db-0",slot_name="db_2"}': '0x25', 'pg_replication_slot_retained_bytes{instance="db-0",slot_name="db_2"}': '1e10x25' } },
  },
  {
    // Regression: the target's labels (here cluster) reach the alert; `sum by (instance)` dropped
    // every label but instance, so alerts could not be routed by cluster or namespace.
    alert: 'PostgresConnectionsHigh',
    evalTime: '7m',
    firing: {
      series: { 'pg_connection_count_count{instance="db-0",cluster="app-db",state="active"}': '50x10', 'pg_connection_count_count{instance="db-0",cluster="app-db",state="idle"}': '35x10', 'pg_settings_max_connections{instance="db-0",cluster="app-db"}': '100x10', 'pg_settings_superuser_reserved_connections{instance="db-0",cluster="app-db"}': '3x10' },
      labels: one({ instance: 'db-0', cluster: 'app-db', severity: 'warning' }),
    },
    silent: { series: { 'pg_connection_count_count{instance="db-0",state="active"}': '40x10', 'pg_settings_max_connections{instance="db-0"}': '100x10', 'pg_settings_superuser_reserved_connections{instance="db-0"}': '3x10' } },
  },
  {
    alert: 'PostgresConnectionsExhausted',
    evalTime: '7m',
    firing: {
      series: { 'pg_connection_count_count{instance="db-0",cluster="app-db",state="active"}': '60x10', 'pg_connection_count_count{instance="db-0",cluster="app-db",state="idle"}': '35x10', 'pg_settings_max_connections{instance="db-0",cluster="app-db"}': '100x10', 'pg_settings_superuser_reserved_connections{instance="db-0",cluster="app-db"}': '3x10' },
      labels: one({ instance: 'db-0', cluster: 'app-db', severity: 'critical' }),
    },
    // 85 of 97 usable: high, but not exhausted.
    silent: { series: { 'pg_connection_count_count{instance="db-0",state="active"}': '50x10', 'pg_connection_count_count{instance="db-0",state="idle"}': '35x10', 'pg_settings_max_connections{instance="db-0"}': '100x10', 'pg_settings_superuser_reserved_connections{instance="db-0"}': '3x10' } },
  },
  {
    alert: 'PostgresLongRunningQuery',
    evalTime: '3m',
    firing: { series: { 'pg_activity_age_max_query_seconds{instance="db-0"}': '120x5' }, labels: one({ instance: 'db-0', severity: 'warning' }) },
    silent: { series: { 'pg_activity_age_max_query_seconds{instance="db-0"}': '10x5' } },
  },
  {
    alert: 'PostgresLongTransaction',
    evalTime: '3m',
    firing: { series: { 'pg_activity_age_max_transaction_seconds{instance="db-0"}': '900x5' }, labels: one({ instance: 'db-0', severity: 'warning' }) },
    silent: { series: { 'pg_activity_age_max_transaction_seconds{instance="db-0"}': '120x5' } },
  },
  {
    alert: 'PostgresIdleInTransaction',
    evalTime: '3m',
    firing: { series: { 'pg_activity_age_max_idle_in_transaction_seconds{instance="db-0"}': '400x5' }, labels: one({ instance: 'db-0', severity: 'warning' }) },
    silent: { series: { 'pg_activity_age_max_idle_in_transaction_seconds{instance="db-0"}': '30x5' } },
  },
  {
    alert: 'PostgresLockWaits',
    evalTime: '7m',
    firing: { series: { 'pg_lock_waits_waiting{instance="db-0"}': '8x10' }, labels: one({ instance: 'db-0', severity: 'warning' }) },
    silent: { series: { 'pg_lock_waits_waiting{instance="db-0"}': '2x10' } },
  },
  // Samples every minute: with `for`, a series must not go stale between evaluations.
  // Thresholds of 2h (full, differential) and 1h (incremental, dump) in this catalog.
  ...tooOld('PostgresFullBackupTooOld', 'app-backups-full-c1a2', 'critical', '3h', 240),
  ...tooOld('PostgresDifferentialBackupTooOld', 'app-backups-differential-c1a2', 'warning', '3h', 240),
  ...tooOld('PostgresIncrementalBackupTooOld', 'app-backups-incremental-c1a2', 'warning', '2h', 240),
  ...tooOld('PostgresDumpTooOld', 'app-nightlydump-c1a2', 'warning', '2h', 240),
  lastRunFailed('PostgresBackupJobFailed', 'app-backups-incremental-c1a2', 'warning'),
  {
    // Regression: the rule was increase(failed_count[10m]) > 0 for 5m, which also paged for one
    // failed run that the archiver's retry archived a minute later (the silent case fired at 6m).
    alert: 'PostgresWalArchivingFailing',
    evalTime: '9m',
    firing: {
      series: { 'pg_archiver_failing{instance="db-0"}': '1x30', 'pg_archiver_failed_count{instance="db-0"}': '0+1x30' },
      labels: one({ instance: 'db-0', severity: 'critical' }),
    },
    // One failed run at minute 1, archived at minute 2, nothing failing since.
    silent: { series: { 'pg_archiver_failing{instance="db-0"}': '0 1 0x28', 'pg_archiver_failed_count{instance="db-0"}': '0 1x29' } },
  },
  {
    alert: 'PostgresRestoreTestFailed',
    evalTime: '1m',
    firing: { series: { 'pgrel_restore_test_success{source="app-db"}': '0x3' }, labels: one({ source: 'app-db', severity: 'critical' }) },
    silent: { series: { 'pgrel_restore_test_success{source="app-db"}': '1x3' } },
  },
  {
    alert: 'PostgresRestoreTestMissing',
    evalTime: '9d',
    firing: { series: { 'pgrel_restore_test_last_success_timestamp_seconds{source="app-db"}': '0x13000' }, labels: one({ source: 'app-db', severity: 'critical' }) },
    silent: { series: { 'pgrel_restore_test_last_success_timestamp_seconds{source="app-db"}': '0+60x13000' } },
  },
  {
    // #10.15: a restore test that never reports must alert too.
    alert: 'PostgresRestoreTestNeverReported',
    interval: '1h',
    evalTime: '9d',
    firing: { series: { 'up{job="pushgateway"}': '1x216' }, labels: one({ severity: 'critical' }) },
    silent: { series: { 'pgrel_restore_test_success{source="app-db"}': '0x216' } },
  },
  lastRunFailed('PostgresRestoreTestJobFailed', 'app-restoretest-c1a2', 'critical'),
  {
    alert: 'PostgresRestoreTestSloBreached',
    interval: '1d',
    evalTime: '9d',
    firing: { series: { 'pgrel_restore_test_success{source="app-db"}': '1 1 1 0 1 1 1 1 1 1' }, labels: one({ source: 'app-db', severity: 'warning' }) },
    silent: { series: { 'pgrel_restore_test_success{source="app-db"}': '1x9' } },
  },
  {
    alert: 'PostgresXidWraparoundRisk',
    evalTime: '15m',
    firing: { series: { 'pg_database_xid_age{instance="db-0",datname="app"}': '1.2e9x20' }, labels: one({ instance: 'db-0', datname: 'app', severity: 'critical' }) },
    silent: { series: { 'pg_database_xid_age{instance="db-0",datname="app"}': '2e8x20' } },
  },
  {
    alert: 'PostgresDeadlocks',
    evalTime: '5m',
    firing: { series: { 'pg_stat_database_deadlocks{instance="db-0",datname="app"}': '0 0 0 1 1 1' }, labels: one({ instance: 'db-0', datname: 'app', severity: 'warning' }) },
    silent: { series: { 'pg_stat_database_deadlocks{instance="db-0",datname="app"}': '4x5' } },
  },
  {
    alert: 'PostgresDeadTuplesHigh',
    evalTime: '70m',
    firing: {
      series: { 'pg_table_tuples_dead{instance="db-0",relname="orders"}': '50000x80', 'pg_table_tuples_live{instance="db-0",relname="orders"}': '100000x80' },
      labels: one({ instance: 'db-0', relname: 'orders', severity: 'warning' }),
    },
    silent: { series: { 'pg_table_tuples_dead{instance="db-0",relname="orders"}': '50000x80', 'pg_table_tuples_live{instance="db-0",relname="orders"}': '1000000x80' } },
  },
  {
    alert: 'PgBouncerClientsWaiting',
    evalTime: '4m',
    firing: { series: { 'pgbouncer_pools_client_waiting_connections{database="app",user="app"}': '25x6' }, labels: one({ database: 'app', user: 'app', severity: 'warning' }) },
    silent: { series: { 'pgbouncer_pools_client_waiting_connections{database="app",user="app"}': '2x6' } },
  },
  {
    alert: 'PgBouncerMaxWaitHigh',
    evalTime: '4m',
    firing: { series: { 'pgbouncer_pools_client_maxwait_seconds{database="app",user="app"}': '12x6' }, labels: one({ database: 'app', user: 'app', severity: 'warning' }) },
    silent: { series: { 'pgbouncer_pools_client_maxwait_seconds{database="app",user="app"}': '1x6' } },
  },
  {
    alert: 'PostgresDatabaseGrowthToLimit',
    interval: '10m',
    evalTime: '8h',
    // +60 MB per 10 minutes is about 60 GB a week on top of 40 GB: past an 80 GiB limit.
    firing: { series: { 'pg_database_size_size_bytes{instance="db-0",datname="app"}': '4e10+6e7x60' }, labels: one({ instance: 'db-0', datname: 'app', severity: 'warning' }) },
    silent: { series: { 'pg_database_size_size_bytes{instance="db-0",datname="app"}': '4e10x60' } },
  },
];

export const CNPG_CASES: AlertCase[] = [
  {
    alert: 'PostgresInstanceDown',
    evalTime: '3m',
    firing: { series: { 'cnpg_collector_up{pod="db-0"}': '0x5' }, labels: one({ pod: 'db-0', severity: 'critical' }) },
    silent: { series: { 'cnpg_collector_up{pod="db-0"}': '1x5' } },
  },
  {
    alert: 'PostgresNoPrimary',
    evalTime: '3m',
    firing: { series: { 'cnpg_pg_replication_in_recovery{cluster="a",pod="a-1"}': '1x5' }, labels: one({ cluster: 'a', severity: 'critical' }) },
    silent: { series: { 'cnpg_pg_replication_in_recovery{cluster="a",pod="a-1"}': '0x5' } },
  },
  {
    alert: 'PostgresSplitBrain',
    evalTime: '2m',
    firing: { series: { 'cnpg_pg_replication_in_recovery{cluster="a",pod="a-1"}': '0x5', 'cnpg_pg_replication_in_recovery{cluster="a",pod="a-2"}': '0x5' }, labels: one({ cluster: 'a', severity: 'critical' }) },
    silent: { series: { 'cnpg_pg_replication_in_recovery{cluster="a",pod="a-1"}': '0x5', 'cnpg_pg_replication_in_recovery{cluster="b",pod="b-1"}': '0x5' } },
  },
  {
    alert: 'PostgresReplicationLagHigh',
    evalTime: '4m',
    firing: { series: { 'cnpg_pg_replication_lag{pod="a-2"}': '60x6' }, labels: one({ pod: 'a-2', severity: 'warning' }) },
    silent: { series: { 'cnpg_pg_replication_lag{pod="a-2"}': '1x6' } },
  },
  {
    // Regression: the target's labels (here cluster) reach the alert; `sum by (instance)` dropped
    // every label but instance, so alerts could not be routed by cluster or namespace.
    alert: 'PostgresConnectionsHigh',
    evalTime: '7m',
    firing: {
      series: { 'cnpg_backends_total{instance="a-0",namespace="db",pod="a-0",datname="app",usename="app",application_name="web",state="active"}': '90x10', 'cnpg_pg_settings_setting{instance="a-0",namespace="db",pod="a-0",name="max_connections"}': '100x10', 'cnpg_pg_settings_setting{instance="a-0",namespace="db",pod="a-0",name="superuser_reserved_connections"}': '3x10' },
      labels: one({ instance: 'a-0', namespace: 'db', pod: 'a-0', severity: 'warning' }),
    },
    silent: { series: { 'cnpg_backends_total{instance="a-0",state="active"}': '10x10', 'cnpg_pg_settings_setting{instance="a-0",name="max_connections"}': '100x10', 'cnpg_pg_settings_setting{instance="a-0",name="superuser_reserved_connections"}': '3x10' } },
  },
  {
    alert: 'PostgresConnectionsExhausted',
    evalTime: '7m',
    firing: {
      series: { 'cnpg_backends_total{instance="a-0",namespace="db",pod="a-0",datname="app",usename="app",application_name="web",state="active"}': '96x10', 'cnpg_pg_settings_setting{instance="a-0",namespace="db",pod="a-0",name="max_connections"}': '100x10', 'cnpg_pg_settings_setting{instance="a-0",namespace="db",pod="a-0",name="superuser_reserved_connections"}': '3x10' },
      labels: one({ instance: 'a-0', namespace: 'db', pod: 'a-0', severity: 'critical' }),
    },
    silent: { series: { 'cnpg_backends_total{instance="a-0",state="active"}': '90x10', 'cnpg_pg_settings_setting{instance="a-0",name="max_connections"}': '100x10', 'cnpg_pg_settings_setting{instance="a-0",name="superuser_reserved_connections"}': '3x10' } },
  },
  {
    // Regression as above: one failed run, archived at the retry, no longer pages.
    alert: 'PostgresWalArchivingFailing',
    evalTime: '9m',
    firing: {
      series: {
        'cnpg_pg_stat_archiver_failed_count{pod="a-0"}': '0+1x30',
        'cnpg_pg_stat_archiver_last_failed_time{pod="a-0"}': '600+60x30',
        'cnpg_pg_stat_archiver_last_archived_time{pod="a-0"}': '300x30',
      },
      labels: one({ pod: 'a-0', severity: 'critical' }),
    },
    silent: {
      series: {
        'cnpg_pg_stat_archiver_failed_count{pod="a-0"}': '0 1x29',
        'cnpg_pg_stat_archiver_last_failed_time{pod="a-0"}': '0 60x29',
        'cnpg_pg_stat_archiver_last_archived_time{pod="a-0"}': '0 0 120x28',
      },
    },
  },
  // The barman-cloud plugin's metrics; CloudNativePG takes base backups only (no incrementals).
  {
    alert: 'PostgresFullBackupTooOld',
    evalTime: '9d',
    firing: { series: { 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{cluster="a",pod="a-1"}': '0x13000' }, labels: one({ cluster: 'a', severity: 'critical' }) },
    silent: { series: { 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{cluster="a",pod="a-1"}': '0+60x13000' } },
  },
  lastRunFailed('PostgresBackupJobFailed', 'app-nightlydump-c1a2', 'warning'),
  ...tooOld('PostgresDumpTooOld', 'app-nightlydump-c1a2', 'warning', '2h', 240),
  {
    alert: 'PostgresBackupFailed',
    evalTime: '10m',
    firing: {
      series: { 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{cluster="a",pod="a-1"}': '100x20', 'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{cluster="a",pod="a-1"}': '500x20' },
      labels: one({ cluster: 'a', severity: 'warning' }),
    },
    // An old failure followed by a success is history, not an alert.
    silent: { series: { 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{cluster="a",pod="a-1"}': '500x20', 'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{cluster="a",pod="a-1"}': '100x20' } },
  },
];

/** pgpool2_exporter series: one per backend, labelled hostname, port and role (SHOW pool_nodes). */
const node = (hostname: string, role: string) => `pgpool2_pool_nodes_status{instance="pgpool-0",hostname="${hostname}",port="5432",role="${role}"}`;

export const PGPOOL_CASES: AlertCase[] = [
  {
    alert: 'PgpoolBackendDown',
    evalTime: '5m',
    // The standby is detached from minute 1 on; the primary stays up.
    firing: { series: { [node('db-primary', 'primary')]: '1x8', [node('db-replica-1', 'standby')]: '1 0x7' }, labels: one({ instance: 'pgpool-0', hostname: 'db-replica-1', port: '5432', role: 'standby', severity: 'warning' }) },
    // Down for one minute, reattached by auto_failback: shorter than the 2 minutes pending.
    silent: { series: { [node('db-primary', 'primary')]: '1x8', [node('db-replica-1', 'standby')]: '1 0 1x6' } },
  },
];
