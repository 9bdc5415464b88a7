import { Duration } from 'cdk8s';
import { AuthType, PoolMode, TlsMode } from './pool-mode';
import { SecretKeyRef } from '../core/secret-ref';

/**
 * One `[databases]` entry: the name clients connect to and the server it leads to.
 * @see https://www.pgbouncer.org/config.html#section-databases
 */
export interface PgBouncerDatabase {
  /**
   * Database name clients use; `*` is the fallback for any other name. Letters, digits, `_`, `.`
   * and `-`, at most 63 bytes (PgBouncer's MAX_DBNAME).
   */
  readonly name: string;
  /** Server host, e.g. the primary's Service `app-db-rw.db.svc`. */
  readonly host: string;
  /**
   * Server port.
   * @default 5432
   */
  readonly port?: number;
  /**
   * Database name on the server (at most 63 bytes, PostgreSQL's name length).
   * @default - the same as `name`
   */
  readonly dbname?: string;
  /**
   * Server connections per user for this database (`pool_size`).
   * @default - the global `defaultPoolSize`
   */
  readonly poolSize?: number;
  /**
   * Extra connections for this database when clients wait (`reserve_pool`).
   * @default - the global `reservePoolSize`
   */
  readonly reservePoolSize?: number;
  /**
   * Pool mode for this database.
   * @default - the global `poolMode`
   */
  readonly poolMode?: PoolMode;
  /**
   * Cap on server connections to this database over all users (`max_db_connections`).
   * @default - the global `maxDbConnections`
   */
  readonly maxDbConnections?: number;
  /**
   * Log in to the server as this user whatever user the client gave (`user`). Its password
   * must be in the auth file. At most 127 bytes (PgBouncer's MAX_USERNAME).
   * @default - the client's user
   */
  readonly forceUser?: string;
  /**
   * Application name reported to the server.
   * @default - the client's
   */
  readonly applicationName?: string;
}

/** TLS between applications and PgBouncer. Certificate and key come from Secrets. */
export interface PgBouncerClientTls {
  /** `client_tls_sslmode`: `REQUIRE` to refuse plaintext clients. */
  readonly mode: TlsMode;
  /** The server certificate PgBouncer presents (PEM). */
  readonly certificate: SecretKeyRef;
  /** Its private key (PEM). */
  readonly privateKey: SecretKeyRef;
  /**
   * CA that signs client certificates, for `verify-ca`/`verify-full` and `AuthType.CERT`.
   * @default - client certificates are not checked
   */
  readonly ca?: SecretKeyRef;
}

/** TLS between PgBouncer and PostgreSQL. */
export interface PgBouncerServerTls {
  /** `server_tls_sslmode`; `VERIFY_FULL` checks the server's certificate and host name. */
  readonly mode: TlsMode;
  /**
   * CA that signs the server certificate (required for `verify-ca` and `verify-full`).
   * @default - none
   */
  readonly ca?: SecretKeyRef;
}

/**
 * PgBouncer's settings in its own vocabulary. Durations are `Duration`s of whole milliseconds
 * and are written in seconds; counts are integers PgBouncer's C `int` can hold (at most
 * 2147483647). Defaults follow the configuration most teams start from (transaction pooling for web
 * apps, 20 connections per pool, 1000 clients) except where that configuration was unsafe:
 * authentication is SCRAM-SHA-256, not MD5.
 * @see https://www.pgbouncer.org/config.html
 */
export interface PgBouncerSettings {
  /** The databases clients may connect to. At least one. */
  readonly databases: PgBouncerDatabase[];
  /**
   * When server connections return to the pool. Required, because it decides which PostgreSQL
   * features the application may use: see `PoolMode.TRANSACTION` for what transaction pooling
   * breaks (session `SET`, advisory locks, `LISTEN`/`NOTIFY`, prepared statements without
   * `maxPreparedStatements`).
   */
  readonly poolMode: PoolMode;
  /**
   * Server connections per database/user pair (`default_pool_size`).
   * @default 20
   */
  readonly defaultPoolSize?: number;
  /**
   * Server connections kept open even when idle (`min_pool_size`).
   * @default 5
   */
  readonly minPoolSize?: number;
  /**
   * Extra server connections a pool may open when clients have waited `reservePoolTimeout`.
   * @default 0
   */
  readonly reservePoolSize?: number;
  /**
   * How long a client waits before the reserve pool is used.
   * @default Duration.seconds(5)
   */
  readonly reservePoolTimeout?: Duration;
  /**
   * Client connections accepted (`max_client_conn`); must be at least the pool size.
   * @default 1000
   */
  readonly maxClientConn?: number;
  /**
   * Cap on server connections per database over all users (`max_db_connections`); 0 means none.
   * Setting it makes the connection budget check exact.
   * @default 50
   */
  readonly maxDbConnections?: number;
  /**
   * Cap on server connections per user over all databases; 0 means none.
   * @default 0
   */
  readonly maxUserConnections?: number;
  /**
   * Close server connections idle this long.
   * @default Duration.minutes(5)
   */
  readonly serverIdleTimeout?: Duration;
  /**
   * Close server connections older than this once they are free (spreads reconnects after a failover).
   * @default Duration.hours(1)
   */
  readonly serverLifetime?: Duration;
  /**
   * Give up connecting to the server after this long.
   * @default Duration.seconds(15)
   */
  readonly serverConnectTimeout?: Duration;
  /**
   * Wait this long before retrying after a failed server login; short values recover faster
   * after a PostgreSQL restart.
   * @default Duration.seconds(15)
   */
  readonly serverLoginRetry?: Duration;
  /**
   * Cancel queries running longer than this; zero disables. Keep it above your longest
   * legitimate query (migrations usually connect directly, not through the pooler).
   * @default Duration.seconds(30)
   */
  readonly queryTimeout?: Duration;
  /**
   * Disconnect clients that waited this long for a server connection; zero disables.
   * @default Duration.minutes(2)
   */
  readonly queryWaitTimeout?: Duration;
  /**
   * Disconnect clients idle this long; zero disables.
   * @default - disabled
   */
  readonly clientIdleTimeout?: Duration;
  /**
   * Disconnect clients idle inside a transaction this long; zero disables.
   * @default - disabled
   */
  readonly idleTransactionTimeout?: Duration;
  /**
   * How clients authenticate.
   * @default AuthType.SCRAM_SHA_256
   */
  readonly authType?: AuthType;
  /**
   * The HBA rules file (pg_hba.conf syntax) that `AuthType.HBA` reads (`auth_hba_file`), from a
   * Secret; required with `AuthType.HBA` and refused without it.
   * @see https://www.pgbouncer.org/config.html#auth_hba_file
   * @default - none
   */
  readonly authHbaFile?: SecretKeyRef;
  /**
   * User that runs `authQuery` to look up passwords of users missing from the auth file.
   * @default - only the auth file is used
   */
  readonly authUser?: string;
  /**
   * Query that returns `(usename, passwd)` for a user name `$1`; needs `authUser`.
   * @default - PgBouncer's own default query
   */
  readonly authQuery?: string;
  /**
   * Users allowed to run every admin console command. PgBouncer splits the list at commas and
   * whitespace, so a name may contain neither; at most 127 bytes each.
   * @default - none
   */
  readonly adminUsers?: string[];
  /**
   * Users allowed to run read-only `SHOW` commands (monitoring); same rules as `adminUsers`.
   * @default - none
   */
  readonly statsUsers?: string[];
  /**
   * Log each client connection that succeeds (`log_connections`).
   * @default true
   */
  readonly logConnections?: boolean;
  /**
   * Log each client disconnection, with the reason (`log_disconnections`).
   * @default true
   */
  readonly logDisconnections?: boolean;
  /**
   * Log the errors PgBouncer sends to clients (`log_pooler_errors`).
   * @default true
   */
  readonly logPoolerErrors?: boolean;
  /**
   * Log aggregate statistics every `stats_period` (`log_stats`).
   * @default true
   */
  readonly logStats?: boolean;
  /**
   * How often aggregated statistics are logged and averaged. Whole seconds, at least 1:
   * PgBouncer reads `stats_period` as an integer and refuses to start on a fraction.
   * @default Duration.minutes(1)
   */
  readonly statsPeriod?: Duration;
  /**
   * Protocol-level prepared statements tracked per server connection, which makes them work in
   * transaction mode. Needs PgBouncer 1.21 or later.
   * @default - not set (not supported by the default image, PgBouncer 1.18)
   */
  readonly maxPreparedStatements?: number;
  /**
   * Startup parameters to accept and ignore instead of refusing the client.
   * @default ['extra_float_digits'] (sent by JDBC and others)
   */
  readonly ignoreStartupParameters?: string[];
  /**
   * TLS between applications and PgBouncer.
   * @default - plaintext (sidecars listen for the pod's own app)
   */
  readonly clientTls?: PgBouncerClientTls;
  /**
   * TLS between PgBouncer and PostgreSQL.
   * @default - TlsMode.PREFER, no verification
   */
  readonly serverTls?: PgBouncerServerTls;
  /**
   * Further `[pgbouncer]` settings by name, for what the typed props do not cover. Names the
   * PgBouncer version in use does not have are an error; typed props cannot be overridden here.
   * @default - none
   */
  readonly additionalSettings?: { [name: string]: string };
}
