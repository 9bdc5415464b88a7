import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PatroniDcs, PatroniVersion, ReplicaCreationMethod, SynchronousMode, WatchdogMode } from './patroni-choices';
import { PatroniParameters, splitParameters } from './patroni-parameters';
import { PatroniSettings } from './patroni-settings';
import { renderYaml, YamlValue } from './patroni-yaml';
import { propError } from '../core/errors';
import { checkAbsolutePath, checkDuration, checkInteger, checkText } from '../core/prop-checks';

/** Defaults of the typed settings (see each prop's `@default`). */
export const PATRONI_DEFAULTS = {
  ttlSeconds: 30,
  loopWaitSeconds: 10,
  retryTimeoutSeconds: 10,
  maximumLagOnFailoverBytes: 1048576,
  users: { superuser: 'postgres', replication: 'replicator', rewind: 'rewind_user' },
} as const;

/**
 * Where the construct (or a test) put what patroni.yml refers to. The member name and both
 * connect addresses are not here: Patroni reads them from `PATRONI_NAME`,
 * `PATRONI_RESTAPI_CONNECT_ADDRESS` and `PATRONI_POSTGRESQL_CONNECT_ADDRESS`, set from the pod.
 */
export interface PatroniPlacement {
  /** `restapi.listen`, e.g. `0.0.0.0:8008`. */
  readonly restApiListen: string;
  /** `postgresql.listen`, e.g. `0.0.0.0:5432`. */
  readonly postgresListen: string;
  readonly dataDir: string;
  /** Directory of pg_ctl, initdb, ...; omitted when they are on $PATH. */
  readonly binDir?: string;
  /** A writable file Patroni keeps the passwords of its own connections in. */
  readonly pgpassFile: string;
  /** `unix_socket_directories`, a writable directory. */
  readonly socketDir: string;
  readonly restApiTls?: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string };
  readonly etcdTls?: { readonly caFile: string; readonly certFile?: string; readonly keyFile?: string };
  /** With the Kubernetes DCS: labels of the member pods and the ports of the primary Service. */
  readonly kubernetes?: { readonly labels: Record<string, string>; readonly ports: ReadonlyArray<{ name: string; port: number }> };
}

/** The settings with defaults applied, as the renderer and the construct use them. */
export interface ResolvedPatroniSettings {
  readonly settings: PatroniSettings;
  readonly dcs: PatroniDcs;
  readonly version: PatroniVersion;
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
  readonly parameters: PatroniParameters;
  readonly users: { readonly superuser: string; readonly replication: string; readonly rewind: string };
}

/**
 * Checks the settings one prop at a time and across props (Patroni's own constraint
 * `loop_wait + 2 * retry_timeout <= ttl`, pg_rewind's need for checksums or hint bits, what the
 * Patroni release understands) and applies the defaults.
 */
export function resolvePatroniSettings(scope: IConstruct, settings: PatroniSettings): ResolvedPatroniSettings {
  const s = settings;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s.scope ?? '') || s.scope.length > 63 || !/^[a-z]/.test(s.scope)) {
    throw propError(scope, 'settings.scope', s.scope, 'a DNS-1035 label (it names the leader Endpoints and the primary Service): lower-case letters, digits and "-", starting with a letter');
  }
  const version = s.version ?? PatroniVersion.V3_0;
  const dcs = s.dcs ?? PatroniDcs.kubernetes();
  if (dcs.kind === 'etcd3') {
    if (dcs.hosts.length === 0) throw propError(scope, 'settings.dcs.hosts', dcs.hosts, 'list the etcd members as "host:port"');
    dcs.hosts.forEach((h, i) => {
      if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(h) || Number(h.split(':')[1]) > 65535) {
        throw propError(scope, `settings.dcs.hosts[${i}]`, h, 'expected "host:port", e.g. "etcd-0.etcd:2379"');
      }
    });
    if (dcs.tls && (dcs.tls.certificate === undefined) !== (dcs.tls.privateKey === undefined)) {
      throw propError(scope, 'settings.dcs.tls', 'certificate/privateKey', 'give both the client certificate and its private key, or neither');
    }
  }
  const ttl = wholeSeconds(scope, 'settings.ttl', s.ttl, PATRONI_DEFAULTS.ttlSeconds, 20);
  const loopWait = wholeSeconds(scope, 'settings.loopWait', s.loopWait, PATRONI_DEFAULTS.loopWaitSeconds, 1);
  const retryTimeout = wholeSeconds(scope, 'settings.retryTimeout', s.retryTimeout, PATRONI_DEFAULTS.retryTimeoutSeconds, 3);
  if (loopWait + 2 * retryTimeout > ttl) {
    throw propError(scope, 'settings.ttl', `${ttl}s`, `Patroni needs loopWait + 2 × retryTimeout <= ttl (${loopWait}s + 2 × ${retryTimeout}s = ${loopWait + 2 * retryTimeout}s): raise ttl or lower the others, or the leader lock can expire while the leader still retries`);
  }
  lagBytes(scope, s.maximumLagOnFailover);
  const sync = s.synchronousMode ?? SynchronousMode.OFF;
  if (sync === SynchronousMode.QUORUM && !version.atLeast(4, 0)) {
    throw propError(scope, 'settings.synchronousMode', 'quorum', 'quorum commit needs Patroni 4.0 (version: PatroniVersion.V4_0); Patroni 3.0 would read it as "off"');
  }
  checkInteger(scope, 'settings.synchronousNodeCount', s.synchronousNodeCount, 1, 1000);
  if (s.synchronousNodeCount !== undefined && sync === SynchronousMode.OFF) {
    throw propError(scope, 'settings.synchronousNodeCount', s.synchronousNodeCount, 'has no effect with SynchronousMode.OFF: choose ON, STRICT or QUORUM, or leave it out');
  }
  const parameters = splitParameters(scope, 'settings.postgresSettings', s.postgresSettings ?? []);
  const users = { ...PATRONI_DEFAULTS.users, ...definedOnly(s.users ?? {}) };
  for (const [key, name] of Object.entries(users)) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw propError(scope, `settings.users.${key}`, name, 'a lower-case PostgreSQL role name (letters, digits, "_", at most 63)');
  }
  if (new Set(Object.values(users)).size !== 3) throw propError(scope, 'settings.users', users, 'three different role names: each has different rights');
  (s.pgHba ?? []).forEach((line, i) => checkText(scope, `settings.pgHba[${i}]`, line));
  if (s.pgHba && s.pgHba.length === 0) throw propError(scope, 'settings.pgHba', s.pgHba, 'at least one line, or leave it out for the defaults');
  const methods = s.replicaCreationMethods ?? [ReplicaCreationMethod.BASEBACKUP];
  if (methods.length === 0) throw propError(scope, 'settings.replicaCreationMethods', methods, 'at least one method');
  if (new Set(methods.map((m) => m.name)).size !== methods.length) {
    throw propError(scope, 'settings.replicaCreationMethods', methods.map((m) => m.name), 'each method once');
  }
  methods.forEach((m, i) => {
    if (m.pgbackrestOptions) {
      if (!/^[A-Za-z0-9_.-]+$/.test(m.pgbackrestOptions.stanza ?? '')) throw propError(scope, `settings.replicaCreationMethods[${i}].stanza`, m.pgbackrestOptions.stanza, 'a stanza name: letters, digits, "_", "." and "-"');
      checkAbsolutePath(scope, `settings.replicaCreationMethods[${i}].configFile`, m.pgbackrestOptions.configFile);
    }
  });
  for (const [key, path] of Object.entries(s.callbacks ?? {})) checkAbsolutePath(scope, `settings.callbacks.${key}`, path as string | undefined);
  const tags = s.tags ?? {};
  checkInteger(scope, 'settings.tags.failoverPriority', tags.failoverPriority, 0, 2147483647);
  if (tags.failoverPriority !== undefined && !version.atLeast(4, 0)) {
    throw propError(scope, 'settings.tags.failoverPriority', tags.failoverPriority, 'failover_priority needs a newer Patroni (version: PatroniVersion.V4_0); 3.0 ignores it');
  }
  if (tags.noFailover && tags.failoverPriority !== undefined && tags.failoverPriority > 0) {
    throw propError(scope, 'settings.tags.failoverPriority', tags.failoverPriority, 'contradicts noFailover: set one of them');
  }
  return { settings: s, dcs, version, ttl, loopWait, retryTimeout, parameters, users };
}

/** Renders patroni.yml from checked settings. */
export function renderPatroniYaml(r: ResolvedPatroniSettings, placement: PatroniPlacement): string {
  const s = r.settings;
  const sync = s.synchronousMode ?? SynchronousMode.OFF;
  const usePgRewind = s.usePgRewind ?? true;
  const dataChecksums = s.dataChecksums ?? true;
  const clusterWide: Record<string, YamlValue> = { ...r.parameters.clusterWide };
  // pg_rewind needs checksums or hint bits in WAL. Patroni turns wal_log_hints on anyway; the
  // file says so when checksums are off, so the guarantee does not rest on an unwritten default.
  const local: Record<string, YamlValue> = { ...r.parameters.local, unix_socket_directories: placement.socketDir };
  if (usePgRewind && !dataChecksums) local.wal_log_hints = 'on';
  const methods = s.replicaCreationMethods ?? [ReplicaCreationMethod.BASEBACKUP];
  const pgHba = s.pgHba ?? defaultPgHba(r.users.replication);
  const doc: Record<string, YamlValue | undefined> = {
    scope: s.scope,
    restapi: {
      listen: placement.restApiListen,
      certfile: placement.restApiTls?.certFile,
      keyfile: placement.restApiTls?.keyFile,
      cafile: placement.restApiTls?.caFile,
    },
    [r.dcs.kind]: dcsSection(r.dcs, placement),
    bootstrap: {
      dcs: {
        ttl: r.ttl,
        loop_wait: r.loopWait,
        retry_timeout: r.retryTimeout,
        maximum_lag_on_failover: s.maximumLagOnFailover ? lagBytes(undefined, s.maximumLagOnFailover) : PATRONI_DEFAULTS.maximumLagOnFailoverBytes,
        synchronous_mode: sync === SynchronousMode.QUORUM ? 'quorum' : sync !== SynchronousMode.OFF,
        synchronous_mode_strict: sync === SynchronousMode.STRICT,
        synchronous_node_count: sync === SynchronousMode.OFF ? undefined : s.synchronousNodeCount ?? 1,
        failsafe_mode: s.failsafeMode ?? false,
        postgresql: { use_pg_rewind: usePgRewind, use_slots: s.useSlots ?? true, parameters: clusterWide },
      },
      initdb: [{ encoding: 'UTF8' }, { locale: 'C.UTF-8' }, ...(dataChecksums ? ['data-checksums'] : [])],
      // Patroni 3.0's --validate-config demands bootstrap.pg_hba; it is unused (Patroni appends it
      // only when postgresql.pg_hba is absent), so it repeats the same lines.
      pg_hba: r.version.atLeast(4, 0) ? undefined : pgHba,
    },
    postgresql: {
      listen: placement.postgresListen,
      data_dir: placement.dataDir,
      bin_dir: placement.binDir,
      pgpass: placement.pgpassFile,
      authentication: {
        superuser: { username: r.users.superuser },
        replication: { username: r.users.replication },
        rewind: { username: r.users.rewind },
      },
      parameters: local,
      pg_hba: pgHba,
      create_replica_methods: methods.map((m) => m.name),
      ...Object.fromEntries(methods.map((m) => [m.name, replicaMethodSection(m)])),
      callbacks: callbacksSection(s),
    },
    watchdog: { mode: (s.watchdog ?? WatchdogMode.OFF).mode },
    tags: {
      nofailover: s.tags?.noFailover ?? false,
      noloadbalance: s.tags?.noLoadBalance ?? false,
      clonefrom: false,
      nosync: s.tags?.noSync ?? false,
      failover_priority: s.tags?.failoverPriority,
    },
  };
  return renderYaml(doc, ['patroni.yml generated by cdk8s-pg-reliability; edit the construct props, not this file.',
    'name, restapi.connect_address, postgresql.connect_address and passwords come from PATRONI_* environment variables.']);
}

/** Local and remote logins with SCRAM; replication connections for the replication user only. */
export function defaultPgHba(replicationUser: string): string[] {
  return [
    'local all all scram-sha-256',
    `host replication ${replicationUser} 0.0.0.0/0 scram-sha-256`,
    `host replication ${replicationUser} ::/0 scram-sha-256`,
    'host all all 0.0.0.0/0 scram-sha-256',
    'host all all ::/0 scram-sha-256',
  ];
}

function dcsSection(dcs: PatroniDcs, placement: PatroniPlacement): YamlValue {
  if (dcs.kind === 'etcd3') {
    return {
      hosts: dcs.hosts,
      protocol: dcs.tls ? 'https' : 'http',
      use_proxies: dcs.useProxies ? true : undefined,
      cacert: placement.etcdTls?.caFile,
      cert: placement.etcdTls?.certFile,
      key: placement.etcdTls?.keyFile,
    };
  }
  const k8s = placement.kubernetes ?? { labels: {}, ports: [] };
  return {
    labels: k8s.labels,
    scope_label: 'cluster-name',
    role_label: 'role',
    use_endpoints: dcs.useEndpoints,
    // With Endpoints, Patroni writes the leader's address into the primary Service's Endpoints:
    // the port names must match the Service's.
    ports: dcs.useEndpoints ? k8s.ports.map((p) => ({ name: p.name, port: p.port })) : undefined,
  };
}

function replicaMethodSection(method: ReplicaCreationMethod): YamlValue {
  const pgbr = method.pgbackrestOptions;
  if (!pgbr) return { checkpoint: 'fast' };
  const config = pgbr.configFile ? ` --config=${pgbr.configFile}` : '';
  // no_params: pgBackRest takes its paths from its own config, not Patroni's --scope/--datadir.
  return { command: `pgbackrest${config} --stanza=${pgbr.stanza} --delta restore`, keep_data: true, no_params: true };
}

function callbacksSection(s: PatroniSettings): YamlValue | undefined {
  const c = s.callbacks;
  if (!c) return undefined;
  return { on_start: c.onStart, on_stop: c.onStop, on_restart: c.onRestart, on_reload: c.onReload, on_role_change: c.onRoleChange };
}

function wholeSeconds(scope: IConstruct, prop: string, value: Duration | undefined, fallback: number, min: number): number {
  const ms = checkDuration(scope, prop, value);
  if (ms === undefined) return fallback;
  if (ms % 1000 !== 0 || ms / 1000 < min || ms / 1000 > 2147483647) {
    throw propError(scope, prop, value!.toHumanString(), `expected whole seconds, at least ${min}s (Patroni reads an integer)`);
  }
  return ms / 1000;
}

function lagBytes(scope: IConstruct | undefined, size: Size | undefined): number {
  if (size === undefined) return PATRONI_DEFAULTS.maximumLagOnFailoverBytes;
  const bytes = size.toKibibytes() * 1024;
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > Number.MAX_SAFE_INTEGER) {
    throw propError(scope ?? '<patroni>', 'settings.maximumLagOnFailover', bytes, 'a whole number of bytes');
  }
  return bytes;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
