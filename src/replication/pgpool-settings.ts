import { Duration, Size } from 'cdk8s';
import { PgpoolBackendFlag, LoadBalanceOnWrite } from './pgpool-choices';

/** One PostgreSQL server behind pgpool-II: on Kubernetes, a Service. */
export interface PgpoolBackend {
  /** Host name, e.g. the Service `db-primary` or a standby pod's stable name `db-1.db`. */
  readonly host: string;
  /**
   * Port.
   * @default 5432
   */
  readonly port?: number;
  /**
   * `backend_weight`: the node's share of load-balanced reads, relative to the others.
   * @default - 0 for the primary (reads go to standbys while one is up), 1 for a standby
   */
  readonly weight?: number;
  /**
   * `backend_flag`.
   * @default - the primary ALWAYS_PRIMARY and DISALLOW_TO_FAILOVER (its failover belongs to the
   * HA layer), a standby ALLOW_TO_FAILOVER (the health check takes it out of load balancing)
   */
  readonly flags?: PgpoolBackendFlag[];
  /**
   * `backend_application_name`: the standby's `application_name`, so pgpool can show its state
   * from `pg_stat_replication`.
   * @default - not set
   */
  readonly applicationName?: string;
}

/**
 * pgpool-II's settings in its own vocabulary, for streaming replication on Kubernetes: no pgpool
 * failover or watchdog (failover belongs to the HA layer that moves the primary Service), health
 * checks that take a stopped standby out of load balancing and `auto_failback` that brings it back.
 * @see https://www.pgpool.net/docs/43/en/html/runtime-config.html
 */
export interface PgpoolSettings {
  /** The primary, written as backend 0. */
  readonly primary: PgpoolBackend;
  /** The standbys, backends 1 and up. */
  readonly standbys: PgpoolBackend[];
  /**
   * The role health checks and streaming replication checks log in as; its password is read from
   * pool_passwd (so it must be one of the pool users).
   */
  readonly checkUser: string;
  /**
   * The database the checks connect to.
   * @default "postgres"
   */
  readonly checkDatabase?: string;
  /**
   * `num_init_children`: pgpool processes, i.e. the most concurrent client sessions.
   * @default 32
   */
  readonly numInitChildren?: number;
  /**
   * `max_pool`: cached backend connections per process (one per user/database pair).
   * Each backend can get `num_init_children × max_pool` connections.
   * @default 2
   */
  readonly maxPool?: number;
  /**
   * `reserved_connections`: sessions refused with "sorry, too many clients" instead of queued.
   * @default 0 (clients wait for a free process)
   */
  readonly reservedConnections?: number;
  /**
   * `child_life_time`: an idle pgpool process exits after this (whole seconds).
   * @default Duration.minutes(5)
   */
  readonly childLifeTime?: Duration;
  /**
   * `child_max_connections`: a process exits after this many client sessions.
   * @default 0 (no limit)
   */
  readonly childMaxConnections?: number;
  /**
   * `connection_life_time`: a cached backend connection is closed after this (whole seconds).
   * @default Duration.minutes(10)
   */
  readonly connectionLifeTime?: Duration;
  /**
   * `client_idle_limit`: an idle client is disconnected after this (whole seconds).
   * @default - never (0)
   */
  readonly clientIdleLimit?: Duration;
  /**
   * `load_balance_mode`: send reads to the standbys.
   * @default true
   */
  readonly loadBalanceMode?: boolean;
  /**
   * `statement_level_load_balance`: choose a node per read instead of per session.
   * @default false
   */
  readonly statementLevelLoadBalance?: boolean;
  /**
   * `disable_load_balance_on_write`.
   * @default LoadBalanceOnWrite.TRANSACTION
   */
  readonly disableLoadBalanceOnWrite?: LoadBalanceOnWrite;
  /**
   * `health_check_period` (whole seconds).
   * @default Duration.seconds(5)
   */
  readonly healthCheckPeriod?: Duration;
  /**
   * `health_check_timeout` (whole seconds).
   * @default Duration.seconds(10)
   */
  readonly healthCheckTimeout?: Duration;
  /**
   * `health_check_max_retries`.
   * @default 2
   */
  readonly healthCheckMaxRetries?: number;
  /**
   * `health_check_retry_delay` (whole seconds).
   * @default Duration.seconds(1)
   */
  readonly healthCheckRetryDelay?: Duration;
  /**
   * `connect_timeout` of backend connections (milliseconds).
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;
  /**
   * `sr_check_period` (whole seconds): how often replication delay is measured.
   * @default Duration.seconds(5)
   */
  readonly srCheckPeriod?: Duration;
  /**
   * `delay_threshold`: a standby whose replay is more WAL than this behind the primary gets no
   * reads until it catches up (in bytes; 0 turns the check off).
   * @default Size.mebibytes(16)
   */
  readonly delayThreshold?: Size;
  /**
   * `prefer_lower_delay_standby`: reads of a lagging standby go to the least lagging standby
   * rather than the primary.
   * @default true
   */
  readonly preferLowerDelayStandby?: boolean;
  /**
   * `auto_failback`: a standby the health check detached is attached again once it streams.
   * @default true
   */
  readonly autoFailback?: boolean;
}
