import { SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  BackupAlertOptions, ConnectionAlertOptions, MaintenanceAlertOptions, PatroniAlertOptions, PgpoolAlertOptions, PoolingAlertOptions,
  QueryAlertOptions, ReplicationAlertOptions, RestoreTestAlertOptions, SourceOptions, StorageAlertOptions,
} from './alert-options';
import { AlertRule, MetricSource } from './alert-rule';
import { connectionRules, queryRules } from './families/activity';
import { availabilityRules, replicationRules } from './families/availability';
import { backupRules, restoreTestRules } from './families/backups';
import { AlertContext } from './families/cronjobs';
import { maintenanceRules, storageRules } from './families/maintenance';
import { patroniRules } from './families/patroni';
import { pgpoolRules } from './families/pgpool';
import { poolingRules } from './families/pooling';
import { labelNameProblem, re2Problem } from './promql';
import { checkExpr, checkRule } from './rule-check';
import { propError } from '../../core/errors';
import { libraryCronJobs } from '../../core/job-registry';
import type { MetricSourceId } from '../metrics';

/** A named group of alerts, built with typed thresholds. */
export class AlertFamily {
  /** Instance down, no primary, split-brain (counted per cluster). */
  public static availability(options: SourceOptions = {}): AlertFamily {
    sourceOptions('availability', options);
    return new AlertFamily('availability', () => availabilityRules(options), [database(options)]);
  }

  /** Replication lag (time and bytes), a standby not streaming, inactive slots. */
  public static replication(options: ReplicationAlertOptions = {}): AlertFamily {
    sourceOptions('replication', options);
    return new AlertFamily('replication', () => replicationRules(options), [database(options)]);
  }

  /** Connections above 80% and 95% of max_connections minus reserved. */
  public static connections(options: ConnectionAlertOptions = {}): AlertFamily {
    const warning = options.warningRatio ?? 0.8;
    const critical = options.criticalRatio ?? 0.95;
    ratio('connections.warningRatio', warning);
    ratio('connections.criticalRatio', critical);
    if (warning >= critical) throw propError('AlertFamily', 'connections.warningRatio', warning, `must be below criticalRatio (${critical})`);
    sourceOptions('connections', options);
    return new AlertFamily('connections', () => connectionRules({ ...options, warningRatio: warning, criticalRatio: critical }), [database(options)]);
  }

  /** Long-running queries and transactions, idle in transaction, lock waits. */
  public static queries(options: QueryAlertOptions = {}): AlertFamily {
    count('queries.maxLockWaiters', options.maxLockWaiters);
    return new AlertFamily('queries', () => queryRules(options), ['postgres_exporter']);
  }

  /** Database growth projected with predict_linear: the limit reached within the horizon. */
  public static storage(options: StorageAlertOptions): AlertFamily {
    if (!options?.sizeLimit || options.sizeLimit.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) <= 0) {
      throw propError('AlertFamily', 'storage.sizeLimit', options?.sizeLimit, 'a positive Size, e.g. Size.gibibytes(80)');
    }
    return new AlertFamily('storage', () => storageRules(options), ['postgres_exporter']);
  }

  /**
   * Age of the last full, differential and incremental backups and dumps, a backup CronJob whose
   * last run failed, WAL archiving failing. Selects the app's own backup CronJobs at synth.
   */
  public static backups(options: BackupAlertOptions = {}): AlertFamily {
    sourceOptions('backups', options);
    for (const prop of ['fullCronJobPattern', 'differentialCronJobPattern', 'incrementalCronJobPattern', 'dumpCronJobPattern', 'jobPattern'] as const) {
      regex(`backups.${prop}`, options[prop]);
    }
    return new AlertFamily('backups', (ctx) => backupRules(options, ctx),
      [database(options), 'kube-state-metrics', ...(options.source === MetricSource.CNPG ? ['barman-cloud' as const] : [])]);
  }

  /**
   * A failed restore test, no successful one within the window, the success-rate SLO, and a
   * restore-test CronJob whose last run failed (the app's own, selected at synth).
   */
  public static restoreTests(options: RestoreTestAlertOptions = {}): AlertFamily {
    if (options.slo !== undefined) ratio('restoreTests.slo', options.slo);
    regex('restoreTests.cronJobPattern', options.cronJobPattern);
    return new AlertFamily('restore-tests', (ctx) => restoreTestRules(options, ctx), ['restore-test', 'kube-state-metrics']);
  }

  /** Transaction ID wraparound, deadlocks, dead tuples. */
  public static maintenance(options: MaintenanceAlertOptions = {}): AlertFamily {
    const xid = options.maxXidAge;
    if (xid !== undefined && (!Number.isInteger(xid) || xid < 1_000_000 || xid > 2_000_000_000)) {
      throw propError('AlertFamily', 'maintenance.maxXidAge', xid, 'an integer from 1000000 to 2000000000 (wraparound is at about 2.1 billion)');
    }
    if (options.maxDeadTupleRatio !== undefined) ratio('maintenance.maxDeadTupleRatio', options.maxDeadTupleRatio);
    return new AlertFamily('maintenance', () => maintenanceRules(options), ['postgres_exporter']);
  }

  /** PgBouncer clients waiting for a server connection, and how long. */
  public static pooling(options: PoolingAlertOptions = {}): AlertFamily {
    count('pooling.maxWaitingClients', options.maxWaitingClients);
    return new AlertFamily('pooling', () => poolingRules(options), ['pgbouncer_exporter']);
  }

  /**
   * Patroni clusters, from Patroni's REST `/metrics`: no leader, two members reporting primary
   * (per cluster), a leader change, a lagging member, failsafe mode active.
   */
  public static patroni(options: PatroniAlertOptions = {}): AlertFamily {
    const lag = options.maxLagBytes?.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (lag !== undefined && !(lag > 0)) throw propError('AlertFamily', 'patroni.maxLagBytes', lag, 'a positive Size, e.g. Size.mebibytes(16)');
    return new AlertFamily('patroni', () => patroniRules(options), ['patroni']);
  }

  /**
   * pgpool-II backends pgpool has detached, from pgpool2_exporter (deploy it next to pgpool and
   * scrape it: the library does not). Not part of `all()`: only apps with pgpool need it.
   */
  public static pgpool(options: PgpoolAlertOptions = {}): AlertFamily {
    const pending = options.backendDownFor?.toSeconds();
    if (pending !== undefined && !(pending > 0)) throw propError('AlertFamily', 'pgpool.backendDownFor', pending, 'a positive Duration, e.g. Duration.minutes(2)');
    return new AlertFamily('pgpool', () => pgpoolRules(options), ['pgpool2_exporter']);
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
    rules.forEach((rule, i) => {
      checkRule(`AlertFamily.custom(${name}).rules[${i}]`, rule);
      checkExpr(`AlertFamily.custom(${name}).rules[${i}]`, rule);
    });
    const copy = [...rules];
    return new AlertFamily(name, () => copy, []);
  }

  private constructor(
    /** Family name; the rule group is `postgresql.<name>`. */
    public readonly name: string,
    private readonly build: (ctx: AlertContext) => AlertRule[],
    /**
     * Where the family's metrics come from, so a test can check every metric name it uses
     * against what those programs export (none for a custom family: its metrics are the user's).
     * @internal
     */
    public readonly _sources: readonly MetricSourceId[],
  ) {}

  /**
   * The family's rules as rendered in the app of `scope`: rules about the library's CronJobs
   * select exactly the CronJobs of that app, and are left out when it has none of their kind.
   */
  public rulesIn(scope: IConstruct): AlertRule[] {
    return this.build({ cronJobs: libraryCronJobs(scope) });
  }

  /** @internal */
  public _render(ctx: AlertContext): AlertRule[] {
    return this.build(ctx);
  }
}

/** The program that reports PostgreSQL's own metrics for a family with a `source` option. */
function database(options: SourceOptions): MetricSourceId {
  return options.source === MetricSource.CNPG ? 'cnpg' : 'postgres_exporter';
}

function sourceOptions(family: string, options: SourceOptions): void {
  if (options.clusterLabel === undefined) return;
  const problem = labelNameProblem(options.clusterLabel);
  if (problem) throw propError('AlertFamily', `${family}.clusterLabel`, options.clusterLabel, problem);
}

function ratio(prop: string, value: number): void {
  if (!(value > 0 && value <= 1)) throw propError('AlertFamily', prop, value, 'a ratio above 0 and at most 1, e.g. 0.8');
}

function count(prop: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw propError('AlertFamily', prop, value, 'an integer of at least 1');
}

/** A user's pattern: RE2 as Prometheus compiles it; quotes and backslashes are escaped when rendered. */
function regex(prop: string, value: string | undefined): void {
  if (value === undefined) return;
  const problem = re2Problem(value);
  if (problem) throw propError('AlertFamily', prop, value, problem);
}
