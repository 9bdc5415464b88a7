import { createHash } from 'crypto';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addPgBouncerConnection } from './pgbouncer-connection';
import { PgBouncerOptions } from './pgbouncer-options';
import { addPgBouncerToPod, PgBouncerInPod } from './pgbouncer-pod';
import { PgBouncerDatabase } from './pgbouncer-settings';
import { ConnectionEnvOptions } from '../core/connection-env';
import { propError } from '../core/errors';
import { assertDnsLabel, dnsLabel } from '../core/naming';
import { checkPlusMajor, isPlusKind } from '../core/plus-objects';
import { checkInteger } from '../core/prop-checks';

/** Props of `PgBouncerSidecar`. */
export interface PgBouncerSidecarProps extends PgBouncerOptions {
  /** The application workload (Deployment, StatefulSet, DaemonSet, Job or CronJob) that gets the sidecar. */
  readonly workload: kplus.Workload;
  /**
   * Name of the PgBouncer container, unique in the pod (a DNS label of at most 56 characters).
   * It also names the config volume (`<name>-config`) and the container port (the name itself
   * when it is a valid port name of at most 15 characters, otherwise `pgb-<hash of name>`).
   * @default - "pgbouncer" for the first PgBouncer of the pod; a further one is named
   * `pgbouncer-<construct id>` (lower-cased, shortened with a hash if needed)
   */
  readonly name?: string;
  /**
   * Run PgBouncer as a native sidecar (Kubernetes 1.29 or later): an init container with
   * `restartPolicy: Always` that starts, and passes a TCP startup probe, before the app's
   * containers start, and that the kubelet stops after they have exited (its preStop hook sends
   * SIGINT; PgBouncer closes and exits 0). A Job's pod can then complete; with an ordinary
   * container PgBouncer never exits and the Job never finishes, so Jobs and CronJobs refuse
   * `false`. Init containers added to the workload before the sidecar run before PgBouncer
   * starts: add the sidecar first if they connect through it.
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   * @default - true for Job and CronJob, false for other workloads (an ordinary container)
   */
  readonly nativeSidecar?: boolean;
  /**
   * Pods that run the sidecar, for the connection budget. Give the autoscaler's maximum when the
   * workload scales.
   * @default - the workload's replicas (Deployment, StatefulSet); required for other kinds
   */
  readonly replicas?: number;
}

/**
 * PgBouncer as a sidecar of an application's pods: the app connects to `localhost:6432` and
 * PgBouncer holds the few server connections, so many app pods share PostgreSQL's
 * `max_connections`. The sidecar brings its ConfigMap, mounts the auth file from its Secret,
 * probes its port, shuts down without cutting transactions, and rolls the pods when its
 * configuration changes.
 *
 * @example
 * const pooler = new PgBouncerSidecar(this, 'Pooler', {
 *   workload: web,
 *   authFile: SecretKeyRef.of(userlist, 'userlist.txt'),
 *   settings: { poolMode: PoolMode.TRANSACTION, databases: [{ name: 'app', host: 'app-db-rw' }] },
 * });
 * pooler.addConnectionEnv(web.containers[0], { database: 'app', user: 'app', password });
 */
export class PgBouncerSidecar extends Construct {
  /** The PgBouncer container added to the workload. */
  public readonly container: kplus.Container;
  /** The ConfigMap holding pgbouncer.ini. */
  public readonly configMap: kplus.ConfigMap;
  /** The port PgBouncer listens on inside the pod. */
  public readonly port: number;
  private readonly pooler: PgBouncerInPod;
  private readonly workload: kplus.Workload;

  constructor(scope: Construct, id: string, props: PgBouncerSidecarProps) {
    super(scope, id);
    checkPlusMajor(this, 'workload', props.workload);
    checkInteger(this, 'replicas', props.replicas, 1);
    const workload = props.workload;
    this.workload = workload;
    const replicas = () => props.replicas ?? replicasOf(this, workload);
    if (props.connectionBudget || props.connectionBudgets?.length) replicas(); // say now, not at synth, that the count is missing
    // Secret files are group-readable when the pod has an fsGroup; the sidecar does not impose
    // one on the application's pod, and without it only world-readable files can be read by a
    // non-root user. The userlist holds SCRAM verifiers, not passwords, and stays inside the pod.
    const secretFileMode = workload.securityContext.fsGroup !== undefined ? 0o440 : 0o444;
    const runsToCompletion = isPlusKind(workload, 'Job') || isPlusKind(workload, 'CronJob');
    const nativeSidecar = props.nativeSidecar ?? runsToCompletion;
    if (runsToCompletion && !nativeSidecar) {
      throw propError(this, 'nativeSidecar', false, `a ${workload.constructor.name} completes only when all its containers have exited and PgBouncer never exits by itself: leave nativeSidecar at true (Kubernetes 1.29+)`);
    }
    const name = containerName(this, workload, props.name);
    this.pooler = addPgBouncerToPod(this, workload, props, replicas, { name, portName: portName(name), secretFileMode, nativeSidecar });
    this.container = this.pooler.container;
    this.configMap = this.pooler.configMap;
    this.port = this.pooler.port;
  }

  /** Adds a `[databases]` entry. */
  public addDatabase(database: PgBouncerDatabase): void {
    this.pooler.addDatabase(database);
  }

  /**
   * Gives an application container its connection settings through the sidecar: `PGHOST`
   * (localhost), `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD` (from the Secret) and
   * `DATABASE_URL` (or JDBC's URL with `urlStyle`), which refers to the password as
   * `$(PGPASSWORD)` for the kubelet to expand: the password never appears in the YAML.
   * `database`, `user` and `password` are required; the database must be in the pooler's
   * `[databases]`. Wiring a second connection into one container needs its own variable names
   * (`variablePrefix` or `variables`). `target` and `pooled` do not apply to a PgBouncer and
   * are refused.
   */
  public addConnectionEnv(container: kplus.Container, options: ConnectionEnvOptions): void {
    checkPlusMajor(this, 'addConnectionEnv.container', container);
    // localhost is this pod: a container of another workload, or PgBouncer itself, would reach nothing.
    const inPod = [...this.workload.containers, ...this.workload.initContainers].includes(container);
    if (!inPod || container === this.container) {
      throw propError(this, 'addConnectionEnv.container', container.name ?? '(unnamed)',
        'a container of the workload this sidecar runs in, other than PgBouncer itself: the connection is localhost');
    }
    addPgBouncerConnection(this, { host: 'localhost', port: this.port, settings: () => this.pooler.settings() }, container, options);
  }

  /** pgbouncer.ini as it will be synthesized. */
  public renderIni(): string {
    return this.pooler.renderIni();
  }
}

const DEFAULT_NAME = 'pgbouncer';
/** 63 (a DNS label) minus "-config", the suffix of the config volume. */
const MAX_NAME = 56;

function containerName(scope: Construct, workload: kplus.Workload, given: string | undefined): string {
  const taken = new Set([...workload.initContainers, ...workload.containers].map((c) => c.name));
  if (given !== undefined) {
    assertDnsLabel(scope, 'name', given);
    if (given.length > MAX_NAME) throw propError(scope, 'name', given, `at most ${MAX_NAME} characters: the config volume is named "<name>-config"`);
    if (taken.has(given)) throw propError(scope, 'name', given, 'another container of this pod has this name: give each PgBouncer its own');
    return given;
  }
  if (!taken.has(DEFAULT_NAME)) return DEFAULT_NAME;
  let derived = dnsLabel(DEFAULT_NAME, scope.node.id);
  if (derived.length > MAX_NAME) derived = `${derived.slice(0, MAX_NAME - 9).replace(/-+$/, '')}-${digest(derived)}`;
  if (taken.has(derived)) throw propError(scope, 'name', undefined, `containers "${DEFAULT_NAME}" and "${derived}" already exist in this pod: give this PgBouncer a name`);
  return derived;
}

/**
 * Container port names are IANA service names: at most 15 characters of lower-case letters,
 * digits and "-", at least one letter, no "--".
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports
 */
function portName(name: string): string {
  return name.length <= 15 && /[a-z]/.test(name) && !name.includes('--') ? name : `pgb-${digest(name)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function replicasOf(scope: Construct, workload: kplus.Workload): number {
  if (isPlusKind(workload, 'Deployment') || isPlusKind(workload, 'StatefulSet')) return (workload as kplus.Deployment | kplus.StatefulSet).replicas ?? 1;
  throw propError(scope, 'replicas', undefined, `a ${workload.constructor.name} has no fixed replica count: give replicas (the most pods that run the sidecar) for the connection budget`);
}
