import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { AlertRule, MetricSource } from './alert-rule';
import { connectionRules, queryRules } from './families/activity';
import { availabilityRules, replicationRules } from './families/availability';
import { backupRules, restoreTestRules } from './families/backups';
import { maintenanceRules, storageRules } from './families/maintenance';
import { poolingRules } from './families/pooling';
import { propError } from '../../core/errors';

/** Options shared by families that can read either postgres_exporter or CloudNativePG metrics. */
export interface SourceOptions {
  /** @default MetricSource.POSTGRES_EXPORTER */
  readonly source?: MetricSource;
  /**
   * The label that names the PostgreSQL cluster on every series (the exporter construct and
   * CNPG PodMonitors add it).
   * @default "cluster"
   */
  readonly clusterLabel?: string;
}

export interface ReplicationAlertOptions extends SourceOptions {
  /** @default Duration.seconds(30) */
  readonly maxLag?: Duration;
  /** @default Size.gibibytes(1) */
  readonly maxLagBytes?: Size;
  /** WAL a replication slot may hold back before its inactivity is critical. @default Size.gibibytes(10) */
  readonly maxSlotRetained?: Size;
}

export interface ConnectionAlertOptions extends SourceOptions {
  /** Share of usable connections (max_connections minus reserved) that warns. @default 0.8 */
  readonly warningRatio?: number;
  /** Share that is critical. @default 0.95 */
  readonly criticalRatio?: number;
}

export interface QueryAlertOptions {
  /** @default Duration.seconds(60) */
  readonly maxQueryDuration?: Duration;
  /** @default Duration.minutes(10) */
  readonly maxTransactionDuration?: Duration;
  /** @default Duration.minutes(5) */
  readonly maxIdleInTransaction?: Duration;
  /** Sessions waiting on locks that warn. @default 5 */
  readonly maxLockWaiters?: number;
}

export interface StorageAlertOptions {
  /** The size a database must not reach (e.g. the volume size minus headroom). */
  readonly sizeLimit: Size;
  /** How far ahead growth is projected. @default Duration.days(7) */
  readonly horizon?: Duration;
}

export interface BackupAlertOptions extends SourceOptions {
  /** Regex of the full-backup CronJob names (kube-state-metrics). @default ".*-full-.*" */
  readonly fullCronJobPattern?: string;
  /** @default ".*-incr-.*" */
  readonly incrementalCronJobPattern?: string;
  /** @default Duration.days(8) */
  readonly fullMaxAge?: Duration;
  /** @default Duration.days(2) */
  readonly incrementalMaxAge?: Duration;
  /** Regex of backup Job names whose failure alerts. @default ".*-(full|diff|incr)-.*" */
  readonly jobPattern?: string;
}

export interface RestoreTestAlertOptions {
  /** No successful restore test for this long is critical. @default Duration.days(8) */
  readonly maxAge?: Duration;
  /** Share of restore tests that must succeed over `sloWindow`. @default 0.99 */
  readonly slo?: number;
  /** @default Duration.days(90) */
  readonly sloWindow?: Duration;
}

export interface MaintenanceAlertOptions {
  /** Transaction ID age that warns (wraparound stops writes near 2.1 billion). @default 1000000000 */
  readonly maxXidAge?: number;
  /** Dead share of a table's tuples that warns. @default 0.2 */
  readonly maxDeadTupleRatio?: number;
}

export interface PoolingAlertOptions {
  /** Clients waiting for a server connection that warn. @default 10 */
  readonly maxWaitingClients?: number;
  /** Longest client wait that warns. @default Duration.seconds(5) */
  readonly maxWait?: Duration;
}

/** A named group of alerts, built with typed thresholds. */
export class AlertFamily {
  /** Instance down, no primary, split-brain (counted per cluster). */
  public static availability(options: SourceOptions = {}): AlertFamily {
    return new AlertFamily('availability', availabilityRules(options));
  }

  /** Replication lag (time and bytes), a standby not streaming, inactive slots. */
  public static replication(options: ReplicationAlertOptions = {}): AlertFamily {
    return new AlertFamily('replication', replicationRules(options));
  }

  /** Connections above 80% and 95% of max_connections minus reserved. */
  public static connections(options: ConnectionAlertOptions = {}): AlertFamily {
    const warning = options.warningRatio ?? 0.8;
    const critical = options.criticalRatio ?? 0.95;
    ratio('connections.warningRatio', warning);
    ratio('connections.criticalRatio', critical);
    if (warning >= critical) throw propError('AlertFamily', 'connections.warningRatio', warning, `must be below criticalRatio (${critical})`);
    return new AlertFamily('connections', connectionRules({ ...options, warningRatio: warning, criticalRatio: critical }));
  }

  /** Long-running queries and transactions, idle in transaction, lock waits. */
  public static queries(options: QueryAlertOptions = {}): AlertFamily {
    count('queries.maxLockWaiters', options.maxLockWaiters);
    return new AlertFamily('queries', queryRules(options));
  }

  /** Database growth projected with predict_linear: the limit reached within the horizon. */
  public static storage(options: StorageAlertOptions): AlertFamily {
    if (!options?.sizeLimit || options.sizeLimit.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) <= 0) {
      throw propError('AlertFamily', 'storage.sizeLimit', options?.sizeLimit, 'a positive Size, e.g. Size.gibibytes(80)');
    }
    return new AlertFamily('storage', storageRules(options));
  }

  /** Age of the last full and incremental backups, failed backup jobs, WAL archiving failing. */
  public static backups(options: BackupAlertOptions = {}): AlertFamily {
    for (const prop of ['fullCronJobPattern', 'incrementalCronJobPattern', 'jobPattern'] as const) regex(`backups.${prop}`, options[prop]);
    return new AlertFamily('backups', backupRules(options));
  }

  /** A failed restore test, no successful one within the window, and the success-rate SLO. */
  public static restoreTests(options: RestoreTestAlertOptions = {}): AlertFamily {
    if (options.slo !== undefined) ratio('restoreTests.slo', options.slo);
    return new AlertFamily('restore-tests', restoreTestRules(options));
  }

  /** Transaction ID wraparound, deadlocks, dead tuples. */
  public static maintenance(options: MaintenanceAlertOptions = {}): AlertFamily {
    const xid = options.maxXidAge;
    if (xid !== undefined && (!Number.isInteger(xid) || xid < 1_000_000 || xid > 2_000_000_000)) {
      throw propError('AlertFamily', 'maintenance.maxXidAge', xid, 'an integer from 1000000 to 2000000000 (wraparound is at about 2.1 billion)');
    }
    if (options.maxDeadTupleRatio !== undefined) ratio('maintenance.maxDeadTupleRatio', options.maxDeadTupleRatio);
    return new AlertFamily('maintenance', maintenanceRules(options));
  }

  /** PgBouncer clients waiting for a server connection, and how long. */
  public static pooling(options: PoolingAlertOptions = {}): AlertFamily {
    count('pooling.maxWaitingClients', options.maxWaitingClients);
    return new AlertFamily('pooling', poolingRules(options));
  }

  /** Every family with defaults (storage needs a size limit, so it is left out). */
  public static all(source: MetricSource = MetricSource.POSTGRES_EXPORTER): AlertFamily[] {
    return [
      AlertFamily.availability({ source }), AlertFamily.replication({ source }), AlertFamily.connections({ source }), AlertFamily.queries(),
      AlertFamily.backups({ source }), AlertFamily.restoreTests(), AlertFamily.maintenance(), AlertFamily.pooling(),
    ];
  }

  /** A family of your own rules. */
  public static custom(name: string, rules: AlertRule[]): AlertFamily {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw propError('AlertFamily', 'custom.name', name, 'lower-case words joined by "-"');
    return new AlertFamily(name, rules);
  }

  private constructor(
    /** Family name; the rule group is `postgresql.<name>`. */
    public readonly name: string,
    public readonly rules: AlertRule[],
  ) {}
}

function ratio(prop: string, value: number): void {
  if (!(value > 0 && value <= 1)) throw propError('AlertFamily', prop, value, 'a ratio above 0 and at most 1, e.g. 0.8');
}

function count(prop: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw propError('AlertFamily', prop, value, 'an integer of at least 1');
}

function regex(prop: string, value: string | undefined): void {
  if (value === undefined) return;
  try {
    new RegExp(value);
  } catch {
    throw propError('AlertFamily', prop, value, 'a valid regular expression');
  }
  if (value.includes('"')) throw propError('AlertFamily', prop, value, 'no double quotes (it goes into a PromQL string)');
}
