import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addClusterConnection, checkPoolerTarget, POOLER_TYPE, registerPooler } from './cluster-connection';
import { ICnpgCluster } from './cluster-interface';
import { ConnectionEnvOptions, ConnectionTarget } from '../core/connection-env';
import { propError } from '../core/errors';
import { assertServiceName } from '../core/naming';
import { addPodMonitor } from '../core/pod-monitor';
import { checkInteger } from '../core/prop-checks';
import { SchemaValidation } from '../core/schema-validation';
import { checkUniqueNames } from '../core/unique-names';
import { PoolMode } from '../pooling/pool-mode';

/** Options of a CloudNativePG Pooler (`CnpgCluster.addPooler`). */
export interface CnpgPoolerOptions {
  /**
   * Pooler name, also its Service's; must differ from the cluster's and from other poolers'.
   * @default "<cluster>-pooler-rw" or "<cluster>-pooler-ro" (a second pooler of one target needs a name)
   */
  readonly name?: string;
  /**
   * The servers the pooler leads to: the primary (a `rw` Pooler) or the standbys (`ro`).
   * @default ConnectionTarget.PRIMARY
   */
  readonly target?: ConnectionTarget;
  /**
   * PgBouncer instances (with a PodDisruptionBudget when more than one).
   * @default 2
   */
  readonly instances?: number;
  /**
   * When PgBouncer gives a server connection back (CloudNativePG offers session and transaction).
   * @default PoolMode.TRANSACTION
   */
  readonly poolMode?: PoolMode;
  /**
   * PgBouncer parameters, e.g. `{ default_pool_size: '20' }`.
   * @default - CloudNativePG's
   */
  readonly parameters?: { [name: string]: string };
}

/** Props of `CnpgPooler`. */
export interface CnpgPoolerProps extends CnpgPoolerOptions {
  /** The cluster the pooler fronts (one defined here or `CnpgCluster.fromClusterName`). */
  readonly cluster: ICnpgCluster;
}

/**
 * A CloudNativePG `Pooler` (PgBouncer) in front of a cluster, with our own PodDisruptionBudget
 * and PodMonitor. The cluster's `addConnectionEnv` goes through it for its target.
 */
export class CnpgPooler extends Construct {
  /** The Pooler's name, also its Service's. */
  public readonly name: string;
  /** The servers the pooler leads to. */
  public readonly target: ConnectionTarget;
  /** The cluster the pooler fronts. */
  public readonly cluster: ICnpgCluster;
  /** The `Pooler` object (the escape hatch: `ApiObject.of(pooler)` is the same). */
  public readonly resource: ApiObject;
  private readonly type: string;

  constructor(scope: Construct, id: string, props: CnpgPoolerProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.target = props.target ?? ConnectionTarget.PRIMARY;
    const type = POOLER_TYPE[this.target.role];
    if (!type) throw propError(this, 'target', this.target.role, 'ConnectionTarget.PRIMARY or ConnectionTarget.REPLICAS');
    this.type = type;
    this.name = props.name ?? `${props.cluster.name}-pooler-${type}`;
    assertServiceName(this, 'name', this.name);
    if (this.name === props.cluster.name) {
      throw propError(this, 'name', this.name, 'CloudNativePG refuses a Pooler named like its cluster (their Services would collide); pick another name');
    }
    const instances = props.instances ?? 2;
    checkInteger(this, 'instances', instances, 1, 100);
    const poolMode = props.poolMode ?? PoolMode.TRANSACTION;
    if (![PoolMode.SESSION.value, PoolMode.TRANSACTION.value].includes(poolMode.value)) {
      throw propError(this, 'poolMode', poolMode.value, 'PoolMode.SESSION or PoolMode.TRANSACTION (CloudNativePG has no statement pooling)');
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: { name: this.name },
      spec: {
        cluster: { name: props.cluster.name },
        instances,
        type,
        pgbouncer: { poolMode: poolMode.value, ...(props.parameters ? { parameters: props.parameters } : {}) },
      },
    });
    SchemaValidation.addTo(this.resource);
    const selector = { 'cnpg.io/poolerName': this.name };
    if (instances > 1) {
      new ApiObject(this, 'Disruption', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: this.name },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      });
    }
    checkUniqueNames(this);
    addPodMonitor(this, 'PodMonitor', { matchLabels: selector, port: 'metrics', clusterLabel: props.cluster.name });
    registerPooler(this, props.cluster, type, this.name);
  }

  /**
   * Gives an application container a connection through this pooler (see
   * `ICnpgCluster.addConnectionEnv`): host and port of the pooler's Service, user, password and
   * database from the cluster's app Secret unless given. `target`, when given, must be this
   * pooler's.
   */
  public addConnectionEnv(container: kplus.Container, options: ConnectionEnvOptions = {}): void {
    checkPoolerTarget(this, this.type, options);
    addClusterConnection(this, this.cluster, container, options, this.name);
  }
}
