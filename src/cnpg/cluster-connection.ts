import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import type { ICnpgCluster } from './cluster-interface';
import { ConnectionEnvOptions, ConnectionTarget } from '../core/connection-env';
import { addConnectionVariables, ConnectionValue, secretValue } from '../core/connection-variables';
import { propError } from '../core/errors';
import { checkPlusMajor } from '../core/plus-objects';

/** A CloudNativePG Pooler's `type` for each connection target. */
export const POOLER_TYPE: Record<string, 'rw' | 'ro'> = { primary: 'rw', replicas: 'ro' };

interface ClusterWiring {
  /** The first pooler of each type (`rw`, `ro`): the one `addConnectionEnv` connects through. */
  readonly poolers: Map<string, string>;
  /** Pooler types that containers were wired past (straight to the Service) while none existed. */
  readonly direct: Set<string>;
}

const wiring = new WeakMap<ICnpgCluster, ClusterWiring>();

function wiringOf(cluster: ICnpgCluster): ClusterWiring {
  let state = wiring.get(cluster);
  if (!state) wiring.set(cluster, state = { poolers: new Map(), direct: new Set() });
  return state;
}

/**
 * Records a pooler of `cluster` so that `addConnectionEnv` goes through it. Containers already
 * wired straight to the Service it fronts would bypass it without anyone noticing: refused.
 */
export function registerPooler(scope: IConstruct, cluster: ICnpgCluster, type: string, name: string): void {
  const state = wiringOf(cluster);
  if (state.direct.has(type)) {
    throw propError(scope, 'cluster', cluster.name, `addConnectionEnv already wired containers straight to ${cluster.name}-${type}, which would bypass this pooler: `
      + 'add the pooler before wiring, or wire those containers with pooled: false');
  }
  if (!state.poolers.has(type)) state.poolers.set(type, name);
}

/**
 * Wires `container` to `cluster` (see `ICnpgCluster.addConnectionEnv`). `pooler` forces the host
 * (a `CnpgPooler`'s own `addConnectionEnv`); otherwise the cluster's pooler of the target's type,
 * or its Service.
 */
export function addClusterConnection(
  scope: Construct, cluster: ICnpgCluster, container: kplus.Container, options: ConnectionEnvOptions = {}, pooler?: string,
): void {
  checkPlusMajor(scope, 'addConnectionEnv.container', container);
  const type = POOLER_TYPE[(options.target ?? ConnectionTarget.PRIMARY).role];
  const state = wiringOf(cluster);
  let host = pooler;
  if (host === undefined) {
    host = options.pooled === false ? undefined : state.poolers.get(type);
    if (host === undefined) host = type === 'rw' ? cluster.rwServiceName : cluster.roServiceName;
    if (options.pooled !== false && !state.poolers.has(type)) state.direct.add(type);
  }
  if (type === 'ro' && (cluster as { instances?: number }).instances === 1) {
    throw propError(scope, 'addConnectionEnv.target', 'replicas', `${cluster.name} runs one instance, so ${cluster.roServiceName} has no endpoints: `
      + 'give the cluster instances of at least 2, or connect to the primary');
  }
  if (options.user !== undefined && options.user !== cluster.owner && options.password === undefined) {
    throw propError(scope, 'addConnectionEnv.password', undefined, `the user "${options.user}" is not the owner "${cluster.owner}", whose password the app Secret holds: `
      + 'give that user\'s password as a SecretKeyRef');
  }
  const secret = appSecret(scope, cluster);
  const fromSecret = (key: string): ConnectionValue => ({ secret, key });
  // The operator's own <name>-app Secret carries dbname; an owner Secret of yours is basic-auth
  // (username and password only), so the database is the one the cluster bootstraps.
  const generated = cluster.appSecretName === `${cluster.name}-app`;
  addConnectionVariables(scope, container, {
    host,
    port: 5432,
    database: options.database !== undefined ? { literal: options.database } : generated ? fromSecret('dbname') : { literal: cluster.database },
    user: options.user !== undefined ? { literal: options.user } : fromSecret('username'),
    password: options.password ? secretValue(options.password) : fromSecret('password'),
  }, options);
}

/** The cluster's app Secret, referenced once per scope. */
function appSecret(scope: Construct, cluster: ICnpgCluster): kplus.ISecret {
  const id = `AppSecret-${cluster.appSecretName}`;
  return (scope.node.tryFindChild(id) as kplus.ISecret | undefined) ?? kplus.Secret.fromSecretName(scope, id, cluster.appSecretName);
}

/** Throws when `options.target` asks for another pooler type than `type`. */
export function checkPoolerTarget(scope: IConstruct, type: string, options: ConnectionEnvOptions = {}): void {
  const wanted = options.target ? POOLER_TYPE[options.target.role] : type;
  if (wanted !== type) {
    throw propError(scope, 'addConnectionEnv.target', options.target!.role, `this pooler is of type ${type}: wire the ${options.target!.role} through the cluster's addConnectionEnv or its pooler of that type`);
  }
  if (options.pooled === false) {
    throw propError(scope, 'addConnectionEnv.pooled', false, 'a pooler\'s addConnectionEnv connects through the pooler: for a direct connection use the cluster\'s addConnectionEnv');
  }
}
