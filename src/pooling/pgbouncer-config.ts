import { IConstruct } from 'constructs';
import { checkListItems, checkNameLength, checkPgBouncerInteger, checkPgBouncerTime, checkPgBouncerWholeSeconds, PGBOUNCER_LIMITS } from './pgbouncer-limits';
import { PgBouncerSettings } from './pgbouncer-settings';
import { PgBouncerVersion } from './pgbouncer-version';
import { AuthType, TlsMode } from './pool-mode';
import { propError } from '../core/errors';
import { checkInteger, checkText } from '../core/prop-checks';
import { pgbouncerConnectionString, renderPgBouncerIni } from '../core/render/pgbouncer-ini';
import { ConfEntry, ConfScalar, RenderError } from '../core/render/value';

/** Defaults of the typed settings (see the `@default` of each prop). */
export const PGBOUNCER_DEFAULTS = {
  defaultPoolSize: 20,
  minPoolSize: 5,
  reservePoolSize: 0,
  maxClientConn: 1000,
  maxDbConnections: 50,
  ignoreStartupParameters: ['extra_float_digits'],
} as const;

/** Where the construct put the files the ini refers to, and what it listens on. */
export interface PgBouncerPlacement {
  /** `*` in a pod (probes reach the pod IP); 127.0.0.1 in the contract tests. */
  readonly listenAddress: string;
  readonly listenPort: number;
  readonly authFile: string;
  readonly clientTlsCertFile?: string;
  readonly clientTlsKeyFile?: string;
  readonly clientTlsCaFile?: string;
  readonly serverTlsCaFile?: string;
  readonly authHbaFile?: string;
}

/**
 * Checks settings one prop at a time and across props, throwing the library's prop error
 * (construct path, `settings.<prop>`, value, what is accepted).
 */
export function checkPgBouncerSettings(scope: IConstruct, settings: PgBouncerSettings, version: PgBouncerVersion): void {
  const s = settings;
  if (!s.databases || s.databases.length === 0) {
    throw propError(scope, 'settings.databases', s.databases, 'list at least one database clients may connect to');
  }
  const poolSize = s.defaultPoolSize ?? PGBOUNCER_DEFAULTS.defaultPoolSize;
  checkPgBouncerInteger(scope, 'settings.defaultPoolSize', s.defaultPoolSize, 1);
  checkPgBouncerInteger(scope, 'settings.minPoolSize', s.minPoolSize, 0, poolSize);
  checkPgBouncerInteger(scope, 'settings.reservePoolSize', s.reservePoolSize, 0);
  checkPgBouncerInteger(scope, 'settings.maxClientConn', s.maxClientConn, 1);
  checkPgBouncerInteger(scope, 'settings.maxDbConnections', s.maxDbConnections, 0);
  checkPgBouncerInteger(scope, 'settings.maxUserConnections', s.maxUserConnections, 0);
  const maxClients = s.maxClientConn ?? PGBOUNCER_DEFAULTS.maxClientConn;
  if (maxClients < poolSize) {
    throw propError(scope, 'settings.maxClientConn', maxClients, `must be at least defaultPoolSize (${poolSize}): fewer clients than server connections leaves the pool unused`);
  }
  for (const prop of TIME_PROPS) checkPgBouncerTime(scope, `settings.${prop}`, s[prop]);
  checkPgBouncerWholeSeconds(scope, 'settings.statsPeriod', s.statsPeriod, 1);
  checkText(scope, 'settings.authUser', s.authUser);
  checkNameLength(scope, 'settings.authUser', s.authUser, PGBOUNCER_LIMITS.userNameBytes, 'a user name');
  checkText(scope, 'settings.authQuery', s.authQuery);
  checkListItems(scope, 'settings.adminUsers', s.adminUsers, PGBOUNCER_LIMITS.userNameBytes);
  checkListItems(scope, 'settings.statsUsers', s.statsUsers, PGBOUNCER_LIMITS.userNameBytes);
  checkListItems(scope, 'settings.ignoreStartupParameters', s.ignoreStartupParameters);
  s.databases.forEach((db, i) => {
    const at = `settings.databases[${i}]`;
    if (!/^([A-Za-z0-9_.-]+|\*)$/.test(db.name ?? '')) {
      throw propError(scope, `${at}.name`, db.name, 'database names may use letters, digits, "_", "." and "-", or be "*"');
    }
    checkNameLength(scope, `${at}.name`, db.name, PGBOUNCER_LIMITS.databaseNameBytes, 'a [databases] name');
    checkText(scope, `${at}.host`, db.host);
    if (db.host === undefined) throw propError(scope, `${at}.host`, db.host, 'give the server host, e.g. "app-db-rw.db.svc"');
    checkInteger(scope, `${at}.port`, db.port, 1, 65535);
    checkPgBouncerInteger(scope, `${at}.poolSize`, db.poolSize, 1);
    checkPgBouncerInteger(scope, `${at}.reservePoolSize`, db.reservePoolSize, 0);
    checkPgBouncerInteger(scope, `${at}.maxDbConnections`, db.maxDbConnections, 0);
    // The server's database name is a PostgreSQL name: longer ones can never match a database.
    checkNameLength(scope, `${at}.dbname`, db.dbname, PGBOUNCER_LIMITS.databaseNameBytes, 'a PostgreSQL database name');
    checkNameLength(scope, `${at}.forceUser`, db.forceUser, PGBOUNCER_LIMITS.userNameBytes, 'a user name');
    // PgBouncer refuses an empty connection parameter; a line break would end the entry.
    for (const key of ['dbname', 'forceUser', 'applicationName'] as const) {
      if (db[key] !== undefined && (db[key] === '' || /[\r\n\0]/.test(db[key]!))) {
        throw propError(scope, `${at}.${key}`, db[key], 'expected a non-empty, single-line string (PgBouncer refuses an empty connection parameter)');
      }
    }
  });
  const names = s.databases.map((db) => db.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw propError(scope, 'settings.databases', duplicate, 'each database name may appear once');
  if (s.authQuery !== undefined && s.authUser === undefined) {
    throw propError(scope, 'settings.authQuery', s.authQuery, 'an auth query runs as authUser: set authUser too');
  }
  if (s.maxPreparedStatements !== undefined) {
    checkInteger(scope, 'settings.maxPreparedStatements', s.maxPreparedStatements, 0);
    if (!version.knows('max_prepared_statements')) {
      throw propError(scope, 'settings.maxPreparedStatements', s.maxPreparedStatements,
        `PgBouncer ${version} has no max_prepared_statements (added in 1.21); use an image of 1.21 or later, or leave it unset and avoid protocol-level prepared statements in transaction mode`);
    }
  }
  if (s.authType === AuthType.HBA && !s.authHbaFile) {
    throw propError(scope, 'settings.authType', 'hba', 'HBA authentication reads its rules from auth_hba_file: give authHbaFile');
  }
  if (s.authHbaFile && s.authType !== AuthType.HBA) {
    throw propError(scope, 'settings.authHbaFile', `${s.authHbaFile.secret.name}/${s.authHbaFile.key}`, 'PgBouncer reads auth_hba_file only with AuthType.HBA: set authType too, or leave it out');
  }
  if (s.authType === AuthType.CERT && !s.clientTls?.ca) {
    throw propError(scope, 'settings.authType', 'cert', 'certificate authentication needs clientTls with a ca to verify client certificates');
  }
  const serverMode = s.serverTls?.mode;
  if ((serverMode === TlsMode.VERIFY_CA || serverMode === TlsMode.VERIFY_FULL) && !s.serverTls?.ca) {
    throw propError(scope, 'settings.serverTls.ca', undefined, `server TLS mode ${serverMode.value} verifies the server against a CA: give ca`);
  }
  for (const [name, value] of Object.entries(s.additionalSettings ?? {})) {
    if (MANAGED.has(name)) {
      throw propError(scope, `settings.additionalSettings.${name}`, value, `${name} is set by a typed prop or by the construct; use that instead`);
    }
    if (!version.knows(name)) {
      const since = version.introducedIn(name);
      throw propError(scope, `settings.additionalSettings.${name}`, value,
        since ? `${name} needs PgBouncer ${since} or later, the image runs ${version}` : `PgBouncer ${version} has no setting "${name}"`);
    }
  }
}

/** Renders pgbouncer.ini; run `checkPgBouncerSettings` first. */
export function renderPgBouncerConfig(scope: IConstruct, settings: PgBouncerSettings, place: PgBouncerPlacement): string {
  try {
    return renderSections(settings, place);
  } catch (e) {
    if (e instanceof RenderError) throw propError(scope, 'settings', undefined, e.message);
    throw e;
  }
}

function renderSections(s: PgBouncerSettings, place: PgBouncerPlacement): string {
  const databases: ConfEntry[] = s.databases.map((db) => ({
    key: db.name,
    value: pgbouncerConnectionString('pgbouncer.ini', `[databases] ${db.name}`, {
      host: db.host,
      port: db.port ?? 5432,
      dbname: db.dbname ?? (db.name === '*' ? undefined : db.name),
      user: db.forceUser,
      pool_size: db.poolSize,
      reserve_pool: db.reservePoolSize,
      pool_mode: db.poolMode?.value,
      max_db_connections: db.maxDbConnections,
      application_name: db.applicationName,
    }),
  }));
  const settingsEntries = defined({
    listen_addr: place.listenAddress,
    listen_port: place.listenPort,
    // No unix socket: the pods' filesystems are read-only and clients use TCP.
    unix_socket_dir: '',
    pool_mode: s.poolMode.value,
    default_pool_size: s.defaultPoolSize ?? PGBOUNCER_DEFAULTS.defaultPoolSize,
    min_pool_size: s.minPoolSize ?? PGBOUNCER_DEFAULTS.minPoolSize,
    reserve_pool_size: s.reservePoolSize ?? PGBOUNCER_DEFAULTS.reservePoolSize,
    reserve_pool_timeout: seconds(ms(s.reservePoolTimeout) ?? 5000),
    max_client_conn: s.maxClientConn ?? PGBOUNCER_DEFAULTS.maxClientConn,
    max_db_connections: s.maxDbConnections ?? PGBOUNCER_DEFAULTS.maxDbConnections,
    max_user_connections: s.maxUserConnections ?? 0,
    server_idle_timeout: seconds(ms(s.serverIdleTimeout) ?? 300_000),
    server_lifetime: seconds(ms(s.serverLifetime) ?? 3_600_000),
    server_connect_timeout: seconds(ms(s.serverConnectTimeout) ?? 15_000),
    server_login_retry: seconds(ms(s.serverLoginRetry) ?? 15_000),
    query_timeout: seconds(ms(s.queryTimeout) ?? 30_000),
    query_wait_timeout: seconds(ms(s.queryWaitTimeout) ?? 120_000),
    client_idle_timeout: seconds(ms(s.clientIdleTimeout) ?? 0),
    idle_transaction_timeout: seconds(ms(s.idleTransactionTimeout) ?? 0),
    auth_type: (s.authType ?? AuthType.SCRAM_SHA_256).value,
    auth_file: place.authFile,
    auth_hba_file: place.authHbaFile,
    auth_user: s.authUser,
    auth_query: s.authQuery,
    admin_users: list(s.adminUsers),
    stats_users: list(s.statsUsers),
    log_connections: s.logConnections ?? true,
    log_disconnections: s.logDisconnections ?? true,
    log_pooler_errors: s.logPoolerErrors ?? true,
    log_stats: s.logStats ?? true,
    // An integer: PgBouncer refuses a fraction here (checked to be whole seconds).
    stats_period: (ms(s.statsPeriod) ?? 60_000) / 1000,
    max_prepared_statements: s.maxPreparedStatements,
    ignore_startup_parameters: list(s.ignoreStartupParameters ?? [...PGBOUNCER_DEFAULTS.ignoreStartupParameters]),
    client_tls_sslmode: s.clientTls?.mode.value,
    client_tls_cert_file: place.clientTlsCertFile,
    client_tls_key_file: place.clientTlsKeyFile,
    client_tls_ca_file: place.clientTlsCaFile,
    server_tls_sslmode: (s.serverTls?.mode ?? TlsMode.PREFER).value,
    server_tls_ca_file: place.serverTlsCaFile,
    ...s.additionalSettings,
  });
  return renderPgBouncerIni('pgbouncer.ini', [
    { name: 'databases', entries: databases },
    { name: 'pgbouncer', entries: settingsEntries },
  ]);
}

/** Settings PgBouncer reads as seconds with a fraction (its CF_TIME_USEC type). */
const TIME_PROPS = [
  'reservePoolTimeout', 'serverIdleTimeout', 'serverLifetime', 'serverConnectTimeout', 'serverLoginRetry', 'queryTimeout',
  'queryWaitTimeout', 'clientIdleTimeout', 'idleTransactionTimeout',
] as const;

/** Settings the construct or a typed prop owns; `additionalSettings` may not override them. */
const MANAGED = new Set([
  'listen_addr', 'listen_port', 'unix_socket_dir', 'logfile', 'pidfile', 'pool_mode', 'default_pool_size', 'min_pool_size',
  'reserve_pool_size', 'reserve_pool_timeout', 'max_client_conn', 'max_db_connections', 'max_user_connections',
  'server_idle_timeout', 'server_lifetime', 'server_connect_timeout', 'server_login_retry', 'query_timeout',
  'query_wait_timeout', 'client_idle_timeout', 'idle_transaction_timeout', 'auth_type', 'auth_file', 'auth_hba_file', 'auth_user',
  'auth_query', 'admin_users', 'stats_users', 'log_connections', 'log_disconnections', 'log_pooler_errors', 'log_stats',
  'stats_period', 'max_prepared_statements', 'ignore_startup_parameters', 'client_tls_sslmode', 'client_tls_cert_file',
  'client_tls_key_file', 'client_tls_ca_file', 'server_tls_sslmode', 'server_tls_ca_file',
]);

function ms(duration: { toMilliseconds(o?: { integral?: boolean }): number } | undefined): number | undefined {
  return duration?.toMilliseconds({ integral: false });
}

/** PgBouncer reads times as seconds and accepts fractions; durations are whole milliseconds (checked). */
function seconds(milliseconds: number): number {
  return Math.round(milliseconds) / 1000;
}

function list(values: readonly string[] | undefined): string | undefined {
  return values && values.length > 0 ? values.join(',') : undefined;
}

function defined(record: Record<string, ConfScalar | undefined>): ConfEntry[] {
  return Object.entries(record).flatMap(([key, value]) => (value === undefined ? [] : [{ key, value }]));
}

