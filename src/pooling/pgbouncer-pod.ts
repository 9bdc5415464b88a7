import { Duration, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionShare, IConnectionBudget } from './connection-budget';
import { checkPgBouncerSettings, PGBOUNCER_DEFAULTS, PgBouncerPlacement, renderPgBouncerConfig } from './pgbouncer-config';
import { PgBouncerOptions } from './pgbouncer-options';
import { PgBouncerDatabase, PgBouncerSettings } from './pgbouncer-settings';
import { PgBouncerVersion } from './pgbouncer-version';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ImageCatalog } from '../core/image';
import { checkPlusMajor } from '../core/plus-objects';
import { checkDuration, checkInteger } from '../core/prop-checks';
import { sidecarContainerProps } from '../core/sidecar-container';

const CONFIG_DIR = '/etc/pgbouncer/config';
const INI_FILE = 'pgbouncer.ini';

/** PgBouncer placed in a pod: the parts the sidecar and the standalone construct share. */
export interface PgBouncerInPod {
  readonly container: kplus.Container;
  readonly configMap: kplus.ConfigMap;
  readonly port: number;
  /** The settings including databases added after construction. */
  settings(): PgBouncerSettings;
  /** Adds a `[databases]` entry (checked now, rendered at synth). */
  addDatabase(database: PgBouncerDatabase): void;
  /** pgbouncer.ini as it will be synthesized. */
  renderIni(): string;
}

/** How PgBouncer sits in its pod. */
export interface PgBouncerPodPlacement {
  /** Names the container, its port (`portName`) and its config volume (`<name>-config`). */
  readonly name: string;
  /** The container port's name (an IANA service name, at most 15 characters). */
  readonly portName: string;
  /** mode of mounted Secret files (0o440 needs the pod's fsGroup) */
  readonly secretFileMode: number;
  /**
   * A native sidecar (Kubernetes 1.29+): an init container with `restartPolicy: Always` that
   * starts before the app, passes a startup probe before the app starts, and is stopped by the
   * kubelet after the app's containers have exited, so a Job's pod can complete.
   */
  readonly nativeSidecar: boolean;
  /** Name of the ConfigMap holding pgbouncer.ini (default: cdk8s names it from the path). */
  readonly configMapName?: string;
}

/**
 * Adds a PgBouncer container, its ConfigMap and Secret mounts to `workload`, annotates the pod
 * template with the config hash, and claims the pooler's share of the connection budgets.
 * @param replicas how many pods run this PgBouncer, read at synth for the budget
 */
export function addPgBouncerToPod(
  scope: Construct,
  workload: kplus.Workload,
  options: PgBouncerOptions,
  replicas: () => number,
  pod: PgBouncerPodPlacement,
): PgBouncerInPod {
  const secretRefs = {
    'authFile': options.authFile,
    'settings.clientTls.certificate': options.settings.clientTls?.certificate,
    'settings.clientTls.privateKey': options.settings.clientTls?.privateKey,
    'settings.clientTls.ca': options.settings.clientTls?.ca,
    'settings.serverTls.ca': options.settings.serverTls?.ca,
    'settings.authHbaFile': options.settings.authHbaFile,
  };
  for (const [prop, ref] of Object.entries(secretRefs)) checkPlusMajor(scope, `${prop}.secret`, ref?.secret);
  const image = options.image ?? ImageCatalog.PGBOUNCER;
  const version = options.pgbouncerVersion ?? versionOf(scope, options);
  const port = options.port ?? 6432;
  checkInteger(scope, 'port', port, 1, 65535);
  const user = options.runAsUser ?? 998;
  checkInteger(scope, 'runAsUser', user, 1, 2147483647);
  checkInteger(scope, 'usersPerDatabase', options.usersPerDatabase, 1);
  // A native sidecar is stopped only after the app's containers have exited: nothing to drain.
  const drainMs = checkDuration(scope, 'drainDelay', options.drainDelay) ?? (pod.nativeSidecar ? 0 : 5000);
  checkPortFree(scope, workload, port);
  checkPgBouncerSettings(scope, options.settings, version);

  const databases = [...options.settings.databases];
  const settings = (): PgBouncerSettings => ({ ...options.settings, databases });
  const budgets: LabelledBudget[] = [
    ...(options.connectionBudget ? [{ prop: 'connectionBudget', budget: options.connectionBudget }] : []),
    ...(options.connectionBudgets ?? []).map((budget, i) => ({ prop: `connectionBudgets[${i}]`, budget })),
  ];
  budgets.forEach(({ prop, budget }) => checkIsBudget(scope, prop, budget));
  checkBudgets(scope, budgets, databases);

  // Secret volumes belong to the pod (scoped to the workload): two PgBouncers mounting the same
  // Secret key share one volume instead of declaring two volumes of one name.
  const volume = (dir: string, file: string, ref: PgBouncerOptions['authFile'] | undefined) =>
    ref ? ref.mountAsFile(workload, container, dir, file, { mode: pod.secretFileMode }) : undefined;

  const configMap = new kplus.ConfigMap(scope, 'Config', pod.configMapName === undefined ? {} : { metadata: { name: pod.configMapName } });
  const stop = drainMs > 0 ? `sleep ${drainMs / 1000}; ` : '';
  const containerProps: kplus.ContainerProps = {
    ...sidecarContainerProps({
      name: pod.name,
      image,
      user,
      // Run the binary directly so it is PID 1 and the preStop hook can signal it.
      command: ['pgbouncer', `${CONFIG_DIR}/${INI_FILE}`],
      port,
      portName: pod.portName,
      readiness: kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(5), failureThreshold: 2 }),
      liveness: kplus.Probe.fromTcpSocket({
        port,
        initialDelaySeconds: Duration.seconds(10),
        periodSeconds: Duration.seconds(10),
        failureThreshold: 6,
      }),
      resources: options.resources ?? {
        cpu: { request: kplus.Cpu.millis(50) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
    }),
    lifecycle: {
      // Kubernetes sends SIGTERM, which stops PgBouncer 1.18 at once and cuts transactions off.
      // Instead: keep serving while the app drains, then SIGINT (PAUSE + SHUTDOWN: in-flight
      // transactions finish, new ones wait), and hold the hook until PgBouncer has exited.
      preStop: kplus.Handler.fromCommand(['/bin/sh', '-c', `${stop}kill -INT 1; while kill -0 1 2>/dev/null; do sleep 1; done`]),
    },
  };
  const container = pod.nativeSidecar
    ? workload.addInitContainer({
      ...containerProps,
      restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
      // The app's containers start once this passes: PgBouncer listens before the app connects.
      startup: kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(1), failureThreshold: 30 }),
    })
    : workload.addContainer(containerProps);
  container.mount(CONFIG_DIR, kplus.Volume.fromConfigMap(scope, 'ConfigVolume', configMap, { name: `${pod.name}-config` }), { readOnly: true });

  const tls = options.settings.clientTls;
  const place: PgBouncerPlacement = {
    listenAddress: '*',
    listenPort: port,
    authFile: volume('/etc/pgbouncer/auth', 'userlist.txt', options.authFile)!,
    clientTlsCertFile: volume('/etc/pgbouncer/client-tls/cert', 'tls.crt', tls?.certificate),
    clientTlsKeyFile: volume('/etc/pgbouncer/client-tls/key', 'tls.key', tls?.privateKey),
    clientTlsCaFile: volume('/etc/pgbouncer/client-tls/ca', 'ca.crt', tls?.ca),
    serverTlsCaFile: volume('/etc/pgbouncer/server-tls/ca', 'ca.crt', options.settings.serverTls?.ca),
    authHbaFile: volume('/etc/pgbouncer/hba', 'pg_hba.conf', options.settings.authHbaFile),
  };
  const renderIni = () => renderPgBouncerConfig(scope, settings(), place);
  renderIni(); // fail at construction, not at synth, on values the ini cannot hold
  configMap.addData(INI_FILE, Lazy.any({ produce: renderIni }) as unknown as string);
  annotateConfigHash(workload.podMetadata, () => [renderIni()]);

  for (const { budget } of budgets) {
    // Each server is charged only the entries that point to it (a replica's pool is not the primary's).
    const served = () => settings().databases.filter((db) => serves(budget, db.host, db.port ?? 5432));
    budget.addComputedConsumer({
      consumerName: scope.node.path,
      connectionShare: () => serverShare({ ...settings(), databases: served() }, replicas(), options.usersPerDatabase ?? 1),
    });
  }

  return {
    container,
    configMap,
    port,
    settings,
    renderIni,
    addDatabase: (database) => {
      checkPgBouncerSettings(scope, { ...settings(), databases: [...databases, database] }, version);
      checkBudgets(scope, budgets, [...databases, database]);
      databases.push(database);
    },
  };
}

/** Two programs of one pod cannot listen on one port (they share the network namespace). */
function checkPortFree(scope: Construct, workload: kplus.Workload, port: number): void {
  const taken = [...workload.initContainers, ...workload.containers].find((c) => c.ports.some((p) => p.number === port));
  if (taken) {
    throw propError(scope, 'port', port, `container "${taken.name}" of this pod already uses port ${port}: give this PgBouncer another port`);
  }
}

/**
 * A budget counts one server: one without a host takes a pooler only when all its entries point
 * to one server; a budget with a host must match some entry; one server, one budget.
 */
interface LabelledBudget {
  readonly prop: string;
  readonly budget: IConnectionBudget;
}

/**
 * Recognises a budget by what a pooler uses of it, not by its class: budgets of another copy of
 * this library, or implemented in another jsii language, are budgets too.
 */
function checkIsBudget(scope: Construct, prop: string, budget: IConnectionBudget): void {
  const value = budget as Partial<IConnectionBudget> | undefined;
  if (typeof value?.addComputedConsumer !== 'function' || typeof value.port !== 'number' || typeof value.node?.path !== 'string') {
    throw propError(scope, prop, budget, 'expected an IConnectionBudget: new ConnectionBudget(...) or ConnectionBudget.fromAllowance(...)');
  }
}

/** Whether a `[databases]` entry pointing at `host:port` is charged to `budget`; always for a budget without a host. */
function serves(budget: IConnectionBudget, host: string, port: number): boolean {
  return budget.host === undefined || (budget.host.toLowerCase() === host.toLowerCase() && budget.port === port);
}

/**
 * The one server each budget without a host counts: the first a pooler charged to it, so a
 * pooler pointing elsewhere can be refused.
 */
const pinnedServers = new WeakMap<IConnectionBudget, string>();

function pinServer(budget: IConnectionBudget, server: string): string {
  if (!pinnedServers.has(budget)) pinnedServers.set(budget, server);
  return pinnedServers.get(budget)!;
}

function checkBudgets(scope: Construct, budgets: readonly LabelledBudget[], databases: readonly PgBouncerDatabase[]): void {
  const servers = [...new Set(databases.map((db) => `${db.host.toLowerCase()}:${db.port ?? 5432}`))];
  budgets.forEach(({ prop, budget }, i) => {
    if (budget.host === undefined && servers.length > 1) {
      throw propError(scope, prop, budget.node.path, `the [databases] entries point to ${servers.length} servers (${servers.join(', ')}) and a budget counts one: `
        + 'give each server\'s ConnectionBudget its host (and port) and pass them all in connectionBudgets');
    }
    const pinned = budget.host === undefined && servers.length === 1 ? pinServer(budget, servers[0]) : undefined;
    if (pinned !== undefined && pinned !== servers[0]) {
      throw propError(scope, prop, budget.node.path, `this budget names no host and already counts ${pinned}; these [databases] point to ${servers[0]}: `
        + 'give each server its own ConnectionBudget with host (and port)');
    }
    if (!databases.some((db) => serves(budget, db.host, db.port ?? 5432))) {
      throw propError(scope, prop, budget.node.path, `no [databases] entry points to ${budget.host}:${budget.port} (entries point to ${servers.join(', ')})`);
    }
    if (budgets.length > 1 && budget.host === undefined) {
      throw propError(scope, prop, budget.node.path, 'with several budgets, each must name its server: give it host (and port)');
    }
    if (budgets.some((other, j) => j < i && serves(other.budget, budget.host ?? '', budget.port))) {
      throw propError(scope, prop, budget.node.path, `another budget of this pooler counts ${budget.host}:${budget.port}: give each server one budget`);
    }
  });
}

function versionOf(scope: Construct, options: PgBouncerOptions): PgBouncerVersion {
  const image = options.image ?? ImageCatalog.PGBOUNCER;
  try {
    return PgBouncerVersion.fromImage(image);
  } catch (e) {
    throw propError(scope, 'image', image.reference, `${(e as Error).message}`);
  }
}

/**
 * The most server connections one pooler deployment can open: per database entry, each user's
 * pool plus reserve, capped by max_db_connections; the sum capped by max_user_connections when
 * there is one user; times the replicas.
 */
export function serverShare(settings: PgBouncerSettings, replicas: number, usersPerDatabase: number): ConnectionShare {
  const globalPool = settings.defaultPoolSize ?? PGBOUNCER_DEFAULTS.defaultPoolSize;
  const globalReserve = settings.reservePoolSize ?? PGBOUNCER_DEFAULTS.reservePoolSize;
  const globalMaxDb = settings.maxDbConnections ?? PGBOUNCER_DEFAULTS.maxDbConnections;
  const parts = settings.databases.map((db) => {
    const users = db.forceUser ? 1 : usersPerDatabase;
    const pools = users * ((db.poolSize ?? globalPool) + (db.reservePoolSize ?? globalReserve));
    const cap = db.maxDbConnections ?? globalMaxDb;
    return { name: db.name, connections: cap > 0 ? Math.min(cap, pools) : pools, capped: cap > 0 && cap < pools };
  });
  let perPod = parts.reduce((sum, p) => sum + p.connections, 0);
  const maxUser = settings.maxUserConnections ?? 0;
  const userCapped = maxUser > 0 && usersPerDatabase === 1 && maxUser < perPod;
  if (userCapped) perPod = maxUser;
  const breakdown = parts.map((p) => `${p.name} ${p.connections}${p.capped ? ' (max_db_connections)' : ''}`).join(' + ');
  return {
    connections: perPod * replicas,
    detail: `${replicas} pod${replicas === 1 ? '' : 's'} x ${userCapped ? `${maxUser} (max_user_connections)` : perPod} [${breakdown}]`,
  };
}
