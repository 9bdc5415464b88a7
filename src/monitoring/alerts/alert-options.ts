import { Duration, Size } from 'cdk8s';
import { MetricSource } from './alert-rule';

// The typed thresholds of each alert family (`AlertFamily.replication(options)`, ...). Plain
// structs: the families import them, they import nothing from the families.

/** Options shared by families that can read either postgres_exporter or CloudNativePG metrics. */
export interface SourceOptions {
  /**
   * Which program's metrics the family's rules read.
   * @default MetricSource.POSTGRES_EXPORTER
   */
  readonly source?: MetricSource;
  /**
   * The label that names the PostgreSQL cluster on every series (the exporter construct and
   * CNPG PodMonitors add it).
   * @default "cluster"
   */
  readonly clusterLabel?: string;
}

/** Thresholds of `AlertFamily.replication()`. */
export interface ReplicationAlertOptions extends SourceOptions {
  /**
   * Replay lag of a standby, in time, that warns.
   * @default Duration.seconds(30)
   */
  readonly maxLag?: Duration;
  /**
   * WAL a standby may be behind its primary, in bytes, before it warns (postgres_exporter only).
   * @default Size.gibibytes(1)
   */
  readonly maxLagBytes?: Size;
  /**
   * WAL a replication slot may hold back: critical when nothing consumes the slot, a warning when
   * its consumer is connected but too slow.
   * @default Size.gibibytes(10)
   */
  readonly maxSlotRetained?: Size;
}

/** Thresholds of `AlertFamily.connections()`. */
export interface ConnectionAlertOptions extends SourceOptions {
  /**
   * Share of usable connections (max_connections minus reserved) that warns.
   * @default 0.8
   */
  readonly warningRatio?: number;
  /**
   * Share of usable connections that is critical.
   * @default 0.95
   */
  readonly criticalRatio?: number;
}

/** Thresholds of `AlertFamily.queries()`. */
export interface QueryAlertOptions {
  /**
   * A query active for longer warns.
   * @default Duration.seconds(60)
   */
  readonly maxQueryDuration?: Duration;
  /**
   * A transaction open for longer warns.
   * @default Duration.minutes(10)
   */
  readonly maxTransactionDuration?: Duration;
  /**
   * A session idle in transaction for longer warns.
   * @default Duration.minutes(5)
   */
  readonly maxIdleInTransaction?: Duration;
  /**
   * Sessions waiting on locks that warn.
   * @default 5
   */
  readonly maxLockWaiters?: number;
}

/** Thresholds of `AlertFamily.storage()`. */
export interface StorageAlertOptions {
  /** The size a database must not reach (e.g. the volume size minus headroom). */
  readonly sizeLimit: Size;
  /**
   * How far ahead growth is projected.
   * @default Duration.days(7)
   */
  readonly horizon?: Duration;
}

/**
 * Which CronJobs the backup alerts watch. By default exactly the CronJobs this library creates in
 * the same app (`PgBackRestBackups`, `PgDumpBackup`), selected by their synthesized names: a
 * pattern is an override for CronJobs made elsewhere. A kind with neither gets no rule (a rule
 * that can match nothing would look like coverage and give none).
 */
export interface BackupAlertOptions extends SourceOptions {
  /**
   * RE2 regex of full-backup CronJob names (kube-state-metrics' `cronjob` label), matched whole.
   * @default - the app's `PgBackRestBackups` full-backup CronJobs
   */
  readonly fullCronJobPattern?: string;
  /**
   * RE2 regex of differential-backup CronJob names.
   * @default - the app's `PgBackRestBackups` differential-backup CronJobs
   */
  readonly differentialCronJobPattern?: string;
  /**
   * RE2 regex of incremental-backup CronJob names.
   * @default - the app's `PgBackRestBackups` incremental-backup CronJobs
   */
  readonly incrementalCronJobPattern?: string;
  /**
   * RE2 regex of pg_dump CronJob names.
   * @default - the app's `PgDumpBackup` CronJobs
   */
  readonly dumpCronJobPattern?: string;
  /**
   * No successful full backup for this long is critical.
   * @default Duration.days(8)
   */
  readonly fullMaxAge?: Duration;
  /**
   * No successful differential backup for this long warns.
   * @default Duration.days(8)
   */
  readonly differentialMaxAge?: Duration;
  /**
   * No successful incremental backup for this long warns.
   * @default Duration.days(2)
   */
  readonly incrementalMaxAge?: Duration;
  /**
   * No successful pg_dump for this long warns.
   * @default Duration.days(2)
   */
  readonly dumpMaxAge?: Duration;
  /**
   * RE2 regex of backup Job names (not CronJob names) whose failure alerts; replaces the CronJob
   * selection of `PostgresBackupJobFailed`. Jobs must still be owned by a CronJob.
   * @default - the Jobs of the CronJobs selected above
   */
  readonly jobPattern?: string;
}

/** Thresholds of `AlertFamily.restoreTests()`. */
export interface RestoreTestAlertOptions {
  /**
   * No successful restore test for this long is critical.
   * @default Duration.days(8)
   */
  readonly maxAge?: Duration;
  /**
   * Share of restore tests that must succeed over `sloWindow`.
   * @default 0.99
   */
  readonly slo?: number;
  /**
   * The window over which `slo` is measured.
   * @default Duration.days(90)
   */
  readonly sloWindow?: Duration;
  /**
   * RE2 regex of restore-test CronJob names whose failed Jobs alert (`PostgresRestoreTestJobFailed`).
   * @default - the app's `RestoreTest` and `CnpgRestoreTest` CronJobs
   */
  readonly cronJobPattern?: string;
}

/** Thresholds of `AlertFamily.maintenance()`. */
export interface MaintenanceAlertOptions {
  /**
   * Transaction ID age that is critical (wraparound stops writes near 2.1 billion).
   * @default 1000000000
   */
  readonly maxXidAge?: number;
  /**
   * Dead share of a table's tuples that warns.
   * @default 0.2
   */
  readonly maxDeadTupleRatio?: number;
}

/** Thresholds of `AlertFamily.pooling()`. */
export interface PoolingAlertOptions {
  /**
   * Clients waiting for a server connection that warn.
   * @default 10
   */
  readonly maxWaitingClients?: number;
  /**
   * Longest client wait that warns.
   * @default Duration.seconds(5)
   */
  readonly maxWait?: Duration;
}

/** Thresholds of the Patroni family. */
export interface PatroniAlertOptions {
  /**
   * WAL a replica may have left to replay before it warns.
   * @default Size.mebibytes(16)
   */
  readonly maxLagBytes?: Size;
}

/** Thresholds of `AlertFamily.pgpool()`. */
export interface PgpoolAlertOptions {
  /**
   * How long pgpool must report a backend down before it warns (auto_failback usually reattaches
   * a standby that streams again within seconds).
   * @default Duration.minutes(2)
   */
  readonly backendDownFor?: Duration;
}
