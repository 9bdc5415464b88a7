import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PgBouncerOptions } from './pgbouncer-options';
import { addPgBouncerToPod, PgBouncerInPod } from './pgbouncer-pod';
import { PgBouncerDatabase } from './pgbouncer-settings';
import { checkInteger } from '../core/checks';
import { propError } from '../core/errors';
import { SecretKeyRef } from '../core/secret-ref';

/** Props of `PgBouncerSidecar`. */
export interface PgBouncerSidecarProps extends PgBouncerOptions {
  /** The application workload (Deployment, StatefulSet, DaemonSet or Job) that gets the sidecar. */
  readonly workload: kplus.Workload;
  /**
   * Pods that run the sidecar, for the connection budget. Give the autoscaler's maximum when the
   * workload scales.
   * @default - the workload's replicas (Deployment, StatefulSet); required for other kinds
   */
  readonly replicas?: number;
}

/** The application's connection to PgBouncer, for `addConnectionEnv`. */
export interface PgBouncerClientOptions {
  /** Database name as listed in the pooler's `[databases]`. */
  readonly database: string;
  /** The user the application logs in as. */
  readonly user: string;
  /**
   * Its password in a Secret. Delivered as `PGPASSWORD` and expanded into `DATABASE_URL`, so
   * it must be URL-safe (CloudNativePG's generated passwords are).
   */
  readonly password: SecretKeyRef;
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

  constructor(scope: Construct, id: string, props: PgBouncerSidecarProps) {
    super(scope, id);
    checkInteger(this, 'replicas', props.replicas, 1);
    const workload = props.workload;
    const replicas = () => props.replicas ?? replicasOf(this, workload);
    if (props.connectionBudget || props.connectionBudgets?.length) replicas(); // say now, not at synth, that the count is missing
    // Secret files are group-readable when the pod has an fsGroup; the sidecar does not impose
    // one on the application's pod, and without it only world-readable files can be read by a
    // non-root user. The userlist holds SCRAM verifiers, not passwords, and stays inside the pod.
    const mode = workload.securityContext.fsGroup !== undefined ? 0o440 : 0o444;
    this.pooler = addPgBouncerToPod(this, workload, props, replicas, mode);
    this.container = this.pooler.container;
    this.configMap = this.pooler.configMap;
    this.port = this.pooler.port;
  }

  /** Adds a `[databases]` entry. */
  public addDatabase(database: PgBouncerDatabase): void {
    this.pooler.addDatabase(database);
  }

  /**
   * Gives an application container its connection settings through the sidecar: `PGHOST`,
   * `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD` (from the Secret) and
   * `DATABASE_URL=postgresql://<user>:$(PGPASSWORD)@localhost:<port>/<database>`, which the
   * kubelet expands; the password never appears in the YAML.
   */
  public addConnectionEnv(container: kplus.Container, options: PgBouncerClientOptions): void {
    if (!this.pooler.settings().databases.some((db) => db.name === options.database || db.name === '*')) {
      throw propError(this, 'addConnectionEnv.database', options.database, `not in this pooler's [databases]; known: ${this.pooler.settings().databases.map((db) => db.name).join(', ')}`);
    }
    container.env.addVariable('PGHOST', kplus.EnvValue.fromValue('localhost'));
    container.env.addVariable('PGPORT', kplus.EnvValue.fromValue(String(this.port)));
    container.env.addVariable('PGDATABASE', kplus.EnvValue.fromValue(options.database));
    container.env.addVariable('PGUSER', kplus.EnvValue.fromValue(options.user));
    options.password.addToEnv(container, 'PGPASSWORD');
    const url = `postgresql://${encodeURIComponent(options.user)}:$(PGPASSWORD)@localhost:${this.port}/${encodeURIComponent(options.database)}`;
    container.env.addVariable('DATABASE_URL', kplus.EnvValue.fromValue(url));
  }

  /** pgbouncer.ini as it will be synthesized. */
  public renderIni(): string {
    return this.pooler.renderIni();
  }
}

function replicasOf(scope: Construct, workload: kplus.Workload): number {
  if (workload instanceof kplus.Deployment || workload instanceof kplus.StatefulSet) return workload.replicas ?? 1;
  throw propError(scope, 'replicas', undefined, `a ${workload.constructor.name} has no fixed replica count: give replicas (the most pods that run the sidecar) for the connection budget`);
}
