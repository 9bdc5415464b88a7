import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LoadBalanceOnWrite, PgpoolBackendFlag } from './pgpool-choices';
import { PgpoolBackend, PgpoolSettings } from './pgpool-settings';
import { propError } from '../core/errors';
import { checkDuration, checkInteger, checkText } from '../core/prop-checks';
import { renderPostgresConf } from '../core/render/postgres-conf';
import { ConfEntry, RenderError } from '../core/render/value';
import { shellQuote } from '../core/shell';

/** Where a pgpool process listens and keeps its files: the construct's pod, or a contract test. */
export interface PgpoolPlacement {
  readonly listenAddress: string;
  readonly port: number;
  readonly pcpListenAddress: string;
  readonly pcpPort: number;
  /** unix sockets and pgpool_status (logdir) */
  readonly runDir: string;
  /** the AES-encrypted pool_passwd the start script writes */
  readonly poolPasswdFile: string;
}

/** Defaults of the library (not always pgpool's): see PgpoolSettings' docs for the reasons. */
export const PGPOOL_DEFAULTS = {
  numInitChildren: 32,
  maxPool: 2,
};

/** The most backend connections one pgpool pod can open to each backend. */
export function connectionsPerBackend(settings: PgpoolSettings): number {
  return (settings.numInitChildren ?? PGPOOL_DEFAULTS.numInitChildren) * (settings.maxPool ?? PGPOOL_DEFAULTS.maxPool);
}

/** Refuses settings pgpool would refuse or that would not do what they say. */
export function checkPgpoolSettings(scope: IConstruct, settings: PgpoolSettings): void {
  checkBackend(scope, 'primary', settings.primary, true);
  if (settings.standbys.length === 0) throw propError(scope, 'settings.standbys', [], 'at least one standby: pgpool here balances reads over standbys');
  settings.standbys.forEach((s, i) => checkBackend(scope, `standbys[${i}]`, s, false));
  const places = [settings.primary, ...settings.standbys].map((b) => `${b.host.toLowerCase()}:${b.port ?? 5432}`);
  const twice = places.find((p, i) => places.indexOf(p) !== i);
  if (twice) throw propError(scope, 'settings.standbys', twice, 'each backend once: pgpool would count one server twice');
  const weights = [settings.primary, ...settings.standbys].map((b, i) => b.weight ?? (i === 0 ? 0 : 1));
  if (weights.every((w) => w === 0)) throw propError(scope, 'settings.standbys.weight', 0, 'some backend needs a weight above 0 to take reads');
  checkText(scope, 'settings.checkUser', settings.checkUser);
  checkText(scope, 'settings.checkDatabase', settings.checkDatabase);
  noQuote(scope, 'settings.checkUser', settings.checkUser);
  noQuote(scope, 'settings.checkDatabase', settings.checkDatabase);
  checkInteger(scope, 'settings.numInitChildren', settings.numInitChildren, 1, 10000);
  checkInteger(scope, 'settings.maxPool', settings.maxPool, 1, 1000);
  const children = settings.numInitChildren ?? PGPOOL_DEFAULTS.numInitChildren;
  checkInteger(scope, 'settings.reservedConnections', settings.reservedConnections, 0, children - 1);
  checkInteger(scope, 'settings.childMaxConnections', settings.childMaxConnections, 0);
  checkInteger(scope, 'settings.healthCheckMaxRetries', settings.healthCheckMaxRetries, 0, 1000);
  for (const prop of Object.keys(SECONDS_DEFAULTS) as SecondsProp[]) seconds(scope, prop, settings);
  checkDuration(scope, 'settings.connectTimeout', settings.connectTimeout);
  if (seconds(scope, 'healthCheckPeriod', settings) === 0) {
    throw propError(scope, 'settings.healthCheckPeriod', '0s', 'health checks are what take a stopped standby out of load balancing: give a period of at least 1s');
  }
  if (settings.autoFailback !== false && seconds(scope, 'srCheckPeriod', settings) === 0) {
    throw propError(scope, 'settings.srCheckPeriod', '0s', 'auto_failback needs the streaming replication check: give a period, or autoFailback: false');
  }
  delayBytes(scope, settings.delayThreshold);
}

function checkBackend(scope: IConstruct, prop: string, backend: PgpoolBackend, primary: boolean): void {
  checkText(scope, `settings.${prop}.host`, backend.host);
  // pgpool's config parser has no escape for a quote inside a value ('db''1' is a syntax error).
  if (!/^[A-Za-z0-9._:-]+$/.test(backend.host)) {
    throw propError(scope, `settings.${prop}.host`, backend.host, 'a DNS name or an IP address (letters, digits, ".", "-", ":")');
  }
  noQuote(scope, `settings.${prop}.applicationName`, backend.applicationName);
  checkInteger(scope, `settings.${prop}.port`, backend.port, 1, 65535);
  if (backend.weight !== undefined && !(Number.isFinite(backend.weight) && backend.weight >= 0)) {
    throw propError(scope, `settings.${prop}.weight`, backend.weight, 'a finite number of at least 0');
  }
  checkText(scope, `settings.${prop}.applicationName`, backend.applicationName);
  const flags = (backend.flags ?? []).map((f) => f.value);
  if (flags.includes('ALLOW_TO_FAILOVER') && flags.includes('DISALLOW_TO_FAILOVER')) {
    throw propError(scope, `settings.${prop}.flags`, flags, 'ALLOW_TO_FAILOVER or DISALLOW_TO_FAILOVER, not both');
  }
  if (!primary && flags.includes('ALWAYS_PRIMARY')) {
    throw propError(scope, `settings.${prop}.flags`, flags, 'ALWAYS_PRIMARY belongs to the primary (backend 0) only');
  }
}

/** pgpool.conf strings cannot hold a quote or a backslash: pgpool refuses the whole file. */
function noQuote(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value !== undefined && /['\\]/.test(value)) throw propError(scope, prop, value, 'a value without quotes or backslashes (pgpool.conf cannot escape them)');
}

type SecondsProp = 'childLifeTime' | 'connectionLifeTime' | 'clientIdleLimit' | 'healthCheckPeriod'
| 'healthCheckTimeout' | 'healthCheckRetryDelay' | 'srCheckPeriod';
const SECONDS_DEFAULTS: Record<SecondsProp, number> = {
  childLifeTime: 300,
  connectionLifeTime: 600,
  clientIdleLimit: 0,
  healthCheckPeriod: 5,
  healthCheckTimeout: 10,
  healthCheckRetryDelay: 1,
  srCheckPeriod: 5,
};

/** pgpool reads these as integer seconds: a fraction would be refused or cut. */
function seconds(scope: IConstruct, prop: SecondsProp, settings: PgpoolSettings): number {
  const ms = checkDuration(scope, `settings.${prop}`, settings[prop]);
  if (ms === undefined) return SECONDS_DEFAULTS[prop];
  if (ms % 1000 !== 0 || ms / 1000 > 2147483647) {
    throw propError(scope, `settings.${prop}`, settings[prop]!.toHumanString(), 'pgpool takes whole seconds: round the Duration');
  }
  return ms / 1000;
}

function delayBytes(scope: IConstruct, size: Size | undefined): number {
  if (size === undefined) return 16 * 1024 * 1024;
  const bytes = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > Number.MAX_SAFE_INTEGER) {
    throw propError(scope, 'settings.delayThreshold', bytes, 'a whole number of bytes (Size.kibibytes or larger units)');
  }
  return bytes;
}

function backendEntries(backend: PgpoolBackend, index: number): ConfEntry[] {
  const primary = index === 0;
  const flags = backend.flags
    ?? (primary ? [PgpoolBackendFlag.ALWAYS_PRIMARY, PgpoolBackendFlag.DISALLOW_TO_FAILOVER] : [PgpoolBackendFlag.ALLOW_TO_FAILOVER]);
  return [
    { key: `backend_hostname${index}`, value: backend.host },
    { key: `backend_port${index}`, value: backend.port ?? 5432 },
    { key: `backend_weight${index}`, value: backend.weight ?? (primary ? 0 : 1) },
    { key: `backend_flag${index}`, value: flags.map((f) => f.value).join('|') },
    ...(backend.applicationName ? [{ key: `backend_application_name${index}`, value: backend.applicationName }] : []),
  ];
}

/** pgpool.conf for `settings` at `place`; call `checkPgpoolSettings` first. */
export function renderPgpoolConf(scope: IConstruct, settings: PgpoolSettings, place: PgpoolPlacement): string {
  const s = (prop: SecondsProp) => seconds(scope, prop, settings);
  const checkDatabase = settings.checkDatabase ?? 'postgres';
  const entries: ConfEntry[] = [
    // Streaming replication: PostgreSQL replicates, pgpool routes.
    { key: 'backend_clustering_mode', value: 'streaming_replication' },
    { key: 'listen_addresses', value: place.listenAddress },
    { key: 'port', value: place.port },
    { key: 'unix_socket_directories', value: place.runDir },
    { key: 'pcp_listen_addresses', value: place.pcpListenAddress },
    { key: 'pcp_port', value: place.pcpPort },
    { key: 'pcp_socket_dir', value: place.runDir },
    { key: 'logdir', value: place.runDir },
    { key: 'pid_file_name', value: `${place.runDir}/pgpool.pid` },
    { key: 'log_destination', value: 'stderr' },
    ...[settings.primary, ...settings.standbys].flatMap(backendEntries),
    // Authentication: SCRAM to the backends with the passwords decrypted from pool_passwd.
    { key: 'enable_pool_hba', value: true },
    { key: 'pool_passwd', value: place.poolPasswdFile },
    { key: 'allow_clear_text_frontend_auth', value: false },
    { key: 'num_init_children', value: settings.numInitChildren ?? PGPOOL_DEFAULTS.numInitChildren },
    { key: 'max_pool', value: settings.maxPool ?? PGPOOL_DEFAULTS.maxPool },
    { key: 'reserved_connections', value: settings.reservedConnections ?? 0 },
    { key: 'child_life_time', value: s('childLifeTime') },
    { key: 'child_max_connections', value: settings.childMaxConnections ?? 0 },
    { key: 'connection_life_time', value: s('connectionLifeTime') },
    { key: 'client_idle_limit', value: s('clientIdleLimit') },
    { key: 'load_balance_mode', value: settings.loadBalanceMode ?? true },
    { key: 'statement_level_load_balance', value: settings.statementLevelLoadBalance ?? false },
    { key: 'disable_load_balance_on_write', value: (settings.disableLoadBalanceOnWrite ?? LoadBalanceOnWrite.TRANSACTION).value },
    { key: 'sr_check_period', value: s('srCheckPeriod') },
    { key: 'sr_check_user', value: settings.checkUser },
    // Empty: pgpool takes the password from pool_passwd, so none is written here.
    { key: 'sr_check_password', value: '' },
    { key: 'sr_check_database', value: checkDatabase },
    { key: 'delay_threshold', value: delayBytes(scope, settings.delayThreshold) },
    { key: 'prefer_lower_delay_standby', value: settings.preferLowerDelayStandby ?? true },
    { key: 'health_check_period', value: s('healthCheckPeriod') },
    { key: 'health_check_timeout', value: s('healthCheckTimeout') },
    { key: 'health_check_user', value: settings.checkUser },
    { key: 'health_check_password', value: '' },
    { key: 'health_check_database', value: checkDatabase },
    { key: 'health_check_max_retries', value: settings.healthCheckMaxRetries ?? 2 },
    { key: 'health_check_retry_delay', value: s('healthCheckRetryDelay') },
    { key: 'connect_timeout', value: Math.round(settings.connectTimeout?.toMilliseconds() ?? 10000) },
    // Kubernetes: the HA layer fails over and moves the primary Service; pgpool only detaches
    // standbys its health check finds down and attaches them again once they stream.
    { key: 'failover_command', value: '' },
    { key: 'failback_command', value: '' },
    { key: 'follow_primary_command', value: '' },
    { key: 'failover_on_backend_error', value: false },
    { key: 'auto_failback', value: settings.autoFailback ?? true },
    { key: 'use_watchdog', value: false },
  ];
  try {
    return renderPostgresConf('pgpool.conf', entries);
  } catch (error) {
    if (error instanceof RenderError) throw propError(scope, 'settings', error.message, 'a value pgpool.conf can hold');
    throw error;
  }
}

/**
 * pool_hba.conf: SCRAM for every client address given, nothing else (pool_hba's first match
 * wins and an address with no line is refused).
 */
export function renderPoolHba(scope: IConstruct, clientCidrs: readonly string[]): string {
  const lines = ['# pool_hba.conf generated by cdk8s-pg-reliability; edit the construct props, not this file.'];
  for (const cidr of clientCidrs) {
    if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(cidr)) throw propError(scope, 'clientCidrs', cidr, 'an address range such as "10.0.0.0/8" or "::/0"');
    lines.push(`host    all    all    ${cidr}    scram-sha-256`);
  }
  return lines.join('\n') + '\n';
}

/** One pool_passwd user: the name and the environment variable holding its password. */
export interface PoolUserEnv {
  readonly name: string;
  readonly passwordVariable: string;
}

/**
 * The start script: copies the AES key where pgpool accepts its mode (0600; a Secret mount with
 * fsGroup is group-readable), writes pool_passwd with AES-encrypted entries by `pg_enc` from the
 * passwords in the environment (no plain password reaches a file that stays), then execs pgpool.
 */
export interface PgpoolFiles {
  readonly conf: string;
  readonly hba: string;
  readonly pcp: string;
  /** the key as the Secret volume delivers it */
  readonly keySource: string;
  /** where the script copies it (0600) */
  readonly key: string;
  readonly runDir: string;
}

export function pgpoolStartScript(users: readonly PoolUserEnv[], files: PgpoolFiles): string {
  const input = `${files.runDir}/pool_passwd.input`;
  const encConf = `${files.runDir}/pg_enc.conf`;
  return [
    'set -eu',
    'umask 077',
    // A restarted container finds the previous run's files in its emptyDir: the key copy is
    // read-only, so replace rather than overwrite it, and rebuild pool_passwd from scratch.
    `rm -f ${shellQuote(files.key)} ${shellQuote(input)} ${shellQuote(`${files.runDir}/pool_passwd`)}`,
    `cp ${shellQuote(files.keySource)} ${shellQuote(files.key)}`,
    ...users.map((u) => `printf '%s:%s\\n' ${shellQuote(u.name)} "$${u.passwordVariable}" >> ${shellQuote(input)}`),
    // pg_enc (4.3) writes pool_passwd beside the config file it reads, whatever pool_passwd says,
    // and the config's directory is a read-only ConfigMap: give it a copy in the run directory.
    `cp ${shellQuote(files.conf)} ${shellQuote(encConf)}`,
    `pg_enc -m -k ${shellQuote(files.key)} -f ${shellQuote(encConf)} -i ${shellQuote(input)} > /dev/null`,
    `rm -f ${shellQuote(input)} ${shellQuote(encConf)}`,
    `exec pgpool -n -f ${shellQuote(files.conf)} -a ${shellQuote(files.hba)} -F ${shellQuote(files.pcp)} -k ${shellQuote(files.key)}`,
    '',
  ].join('\n');
}
