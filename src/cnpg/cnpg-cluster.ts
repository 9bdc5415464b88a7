import { ApiObject, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AntiAffinity, CnpgClusterProps, CnpgRecovery, ImageCatalogReference } from './cnpg-cluster-props';
import { barmanConfiguration, CnpgObjectStore, CnpgObjectStoreProps } from './object-store';
import { checkPgHbaEntry } from './pg-hba';
import { targetMajor } from './postgres-settings';
import { checkNoPasswordLiteral } from './secret-literals';
import { mergeParameters } from './tuning';
import { RecoveryAction } from '../backup/recovery-target';
import { checkInteger } from '../core/prop-checks';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { addManifestChecks } from '../core/manifest-checks';
import { assertDnsSubdomain, assertServiceName, dnsLabel } from '../core/naming';
import { Schedule } from '../core/schedule';
import { SchemaValidation } from '../core/schema-validation';
import { SecretKeyRef } from '../core/secret-ref';
import { checkUniqueNames } from '../core/unique-names';

/** The barman-cloud plugin's name in `spec.plugins` and backup `pluginConfiguration`. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/** Options of `CnpgCluster.addScheduledBackup`. */
export interface CnpgScheduledBackupOptions {
  /** Rendered with CloudNativePG's leading seconds field. */
  readonly schedule: Schedule;
  /**
   * Take the first backup as soon as the resource is created.
   * @default false
   */
  readonly immediate?: boolean;
  /**
   * Back up from a standby when one is available, keeping the load off the primary.
   * @default true
   */
  readonly preferStandby?: boolean;
  /**
   * Name of the ScheduledBackup.
   * @default - "<cluster>-<id>", the id lower-cased with other characters as "-"
   */
  readonly name?: string;
}

/** Options of `CnpgCluster.addPooler`. */
export interface CnpgPoolerOptions {
  /**
   * Pooler name (also its Service's); must differ from the cluster's and from other poolers'.
   * @default "<cluster>-pooler-<type>" (a second pooler of one type needs a name)
   */
  readonly name?: string;
  /** Route to the primary (`rw`, default) or the standbys (`ro`). @default false */
  readonly readOnly?: boolean;
  /** @default 2 */
  readonly instances?: number;
  /** `transaction` (default) or `session`. @default "transaction" */
  readonly poolMode?: string;
  /** PgBouncer parameters, e.g. `{ default_pool_size: '20' }`. @default - CloudNativePG's */
  readonly parameters?: { [name: string]: string };
}

/**
 * A CloudNativePG `Cluster` with production defaults: three instances spread over nodes, memory
 * parameters derived from the pod's memory, pg_stat_statements, a PodDisruptionBudget,
 * switchover on updates, and our own PodMonitor (CloudNativePG's `enablePodMonitor` is
 * deprecated). Backups go through the barman-cloud plugin (`backupTo`).
 */
export class CnpgCluster extends Construct {
  public readonly name: string;
  public readonly resource: ApiObject;
  /** The application database created at bootstrap (where restore checks run). */
  public readonly database: string;
  /** Owner of the application database. */
  public readonly owner: string;
  /** The operand image, unless the cluster takes it from `imageCatalog`. */
  public readonly image?: ContainerImage;
  /** The image catalog entry the operand image comes from, if any. */
  public readonly imageCatalog?: ImageCatalogReference;
  /** PostgreSQL parameters as rendered: derived from memory, with the user's on top. */
  public readonly parameters: { [name: string]: string };
  private objectStore?: CnpgObjectStore;
  private inTreeBackup?: ReturnType<typeof barmanConfiguration>;

  constructor(scope: Construct, id: string, props: CnpgClusterProps) {
    super(scope, id);
    this.name = props.name ?? dnsLabel(this.node.id);
    // CloudNativePG names the Services <name>-rw/-ro/-r and refuses cluster names over 50.
    assertServiceName(this, 'name', this.name, 50);
    checkUniqueNames(this);
    const instances = props.instances ?? 3;
    if (!Number.isInteger(instances) || instances < 1) throw propError(this, 'instances', instances, 'at least 1 instance (3 for a primary and two standbys)');
    if (props.image && props.imageCatalog) {
      throw propError(this, 'image', props.image.reference, 'CloudNativePG refuses imageName together with imageCatalogRef: give one of image and imageCatalog');
    }
    this.database = props.database ?? 'app';
    this.owner = props.owner ?? 'app';
    this.imageCatalog = props.imageCatalog;
    this.image = props.imageCatalog ? undefined : props.image ?? ImageCatalog.CNPG_POSTGRES;
    props.pgHba?.forEach((entry, i) => checkPgHbaEntry(this, `pgHba[${i}]`, entry));
    props.postInitApplicationSql?.forEach((sql, i) => checkNoPasswordLiteral(this, `postInitApplicationSql[${i}]`, sql));
    if (props.recovery && (props.postInitApplicationSql || props.postInitApplicationSqlRefs)) {
      // CloudNativePG runs them only after initdb; a recovered cluster would silently skip them.
      throw propError(this, props.postInitApplicationSql ? 'postInitApplicationSql' : 'postInitApplicationSqlRefs', 'set together with recovery',
        'post-init SQL runs only after initdb: a cluster bootstrapped by recovery already has its source\'s objects; drop it or run it yourself');
    }
    const memory = props.memory ?? Size.gibibytes(1);
    const parameters = mergeParameters(this, memory, props.parameters ?? {}, targetMajor(this.image, props.imageCatalog));
    this.parameters = { ...parameters };
    const sync = props.synchronous;
    if (sync) {
      checkInteger(this, 'synchronous.number', sync.number, 1, Math.max(1, instances - 1));
      if (sync.method !== undefined && !['any', 'first'].includes(sync.method)) throw propError(this, 'synchronous.method', sync.method, '"any" or "first"');
      if (sync.dataDurability !== undefined && !['required', 'preferred'].includes(sync.dataDurability)) {
        throw propError(this, 'synchronous.dataDurability', sync.dataDurability, '"required" or "preferred"');
      }
    }
    const primaryUpdateMethod = props.primaryUpdateMethod ?? 'switchover';
    if (!['switchover', 'restart'].includes(primaryUpdateMethod)) throw propError(this, 'primaryUpdateMethod', primaryUpdateMethod, '"switchover" or "restart"');
    const storage = (size: Size) => ({ size: `${size.toGibibytes({ rounding: SizeRoundingBehavior.NONE })}Gi`, ...(props.storageClass ? { storageClass: props.storageClass } : {}) });

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: this.name },
      spec: {
        instances,
        ...(props.imageCatalog
          ? { imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: props.imageCatalog.kind, name: props.imageCatalog.name, major: props.imageCatalog.major } }
          : { imageName: this.image!.reference }),
        primaryUpdateMethod,
        enablePDB: props.podDisruptionBudget ?? true,
        postgresql: {
          parameters,
          shared_preload_libraries: ['pg_stat_statements'],
          ...(props.pgHba ? { pg_hba: props.pgHba } : {}),
          ...(sync ? { synchronous: { method: sync.method ?? 'any', number: sync.number, dataDurability: sync.dataDurability ?? 'required' } } : {}),
        },
        bootstrap: props.recovery ? recoveryBootstrap(this, props.recovery, props) : {
          initdb: {
            database: this.database,
            owner: this.owner,
            ...(props.ownerSecret ? { secret: { name: props.ownerSecret.name } } : {}),
            dataChecksums: true,
            postInitApplicationSQL: props.postInitApplicationSql ?? ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements'],
            ...(props.postInitApplicationSqlRefs?.length
              ? { postInitApplicationSQLRefs: { secretRefs: props.postInitApplicationSqlRefs.map(secretRef) } }
              : {}),
          },
        },
        ...(props.recovery ? {
          externalClusters: [{
            name: 'origin',
            plugin: {
              name: BARMAN_CLOUD_PLUGIN,
              parameters: { barmanObjectName: props.recovery.objectStore.name, serverName: props.recovery.sourceServerName },
            },
          }],
        } : {}),
        storage: storage(props.storageSize),
        ...(props.walStorageSize ? { walStorage: storage(props.walStorageSize) } : {}),
        resources: {
          requests: { memory: `${memory.toMebibytes()}Mi`, cpu: (props.cpu ?? kplus.Cpu.millis(500)).amount },
          limits: { memory: `${memory.toMebibytes()}Mi` },
        },
        affinity: { enablePodAntiAffinity: true, podAntiAffinityType: (props.antiAffinity ?? AntiAffinity.PREFERRED).value, topologyKey: 'kubernetes.io/hostname' },
        ...(props.spreadAcrossZones ? {
          topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { 'cnpg.io/cluster': this.name } },
          }],
        } : {}),
        ...(props.managedRoles ? {
          managed: {
            roles: props.managedRoles.map((role) => ({
              name: role.name,
              ensure: 'present',
              login: role.login ?? true,
              ...(role.passwordSecret ? { passwordSecret: { name: role.passwordSecret.name } } : {}),
              ...(role.inRoles ? { inRoles: role.inRoles } : {}),
              ...(role.connectionLimit !== undefined ? { connectionLimit: role.connectionLimit } : {}),
            })),
          },
        } : {}),
        // Filled at synth once backupTo() has been called (or not).
        plugins: Lazy.any({ produce: () => this.pluginsSpec() }),
        backup: Lazy.any({ produce: () => this.inTreeBackupSpec() }),
      },
    });
    SchemaValidation.addTo(this.resource);
    this.addPodMonitor('PodMonitor', { 'cnpg.io/cluster': this.name, 'cnpg.io/podRole': 'instance' });
  }

  /** The Service of the primary. */
  public get rwService(): string {
    return `${this.name}-rw`;
  }

  /** The Service of the standbys. */
  public get roService(): string {
    return `${this.name}-ro`;
  }

  /** The Service of any instance. */
  public get rService(): string {
    return `${this.name}-r`;
  }

  /**
   * Gives an application container its connection: `DATABASE_URL` from the app Secret's `uri`
   * (the primary), or for `readOnly` a URL to the `-ro` Service built from the Secret's username
   * and password (expanded by the kubelet; never in the YAML).
   */
  public addConnectionEnv(container: kplus.Container, readOnly: boolean = false): void {
    const secret = kplus.Secret.fromSecretName(this, `AppSecret${container.name}${readOnly ? 'Ro' : 'Rw'}`, this.appSecretName);
    const value = (key: string) => kplus.EnvValue.fromSecretValue({ secret, key });
    if (!readOnly) {
      container.env.addVariable('DATABASE_URL', value('uri'));
      return;
    }
    container.env.addVariable('PGUSER', value('username'));
    container.env.addVariable('PGPASSWORD', value('password'));
    container.env.addVariable('PGDATABASE', value('dbname'));
    container.env.addVariable('DATABASE_URL', kplus.EnvValue.fromValue(`postgresql://$(PGUSER):$(PGPASSWORD)@${this.roService}:5432/$(PGDATABASE)`));
  }

  /** The object store `backupTo` sends this cluster's WAL and base backups to, if any. */
  public get backupStore(): CnpgObjectStore | undefined {
    return this.objectStore;
  }

  /** The Secret CloudNativePG generates for the application owner. */
  public get appSecretName(): string {
    return `${this.name}-app`;
  }

  /**
   * Archives WAL and takes base backups into `store` through the barman-cloud plugin (the
   * in-tree `backup.barmanObjectStore` is deprecated).
   */
  public backupTo(store: CnpgObjectStore): void {
    if (this.inTreeBackup) throw propError(this, 'backupTo', store.name, 'the cluster already backs up in-tree; choose one backup method');
    this.objectStore = store;
  }

  /**
   * Opt-in to the deprecated in-tree `backup.barmanObjectStore` (removal planned for
   * CloudNativePG 1.31) for clusters not yet moved to the barman-cloud plugin. Prefer `backupTo`.
   * @deprecated use backupTo with a CnpgObjectStore
   */
  public backupToInTreeBarmanObjectStore(props: CnpgObjectStoreProps): void {
    if (this.objectStore) throw propError(this, 'backupToInTreeBarmanObjectStore', props.destinationPath, 'the cluster already backs up through the plugin; choose one backup method');
    this.inTreeBackup = barmanConfiguration(this, props);
  }

  /** A ScheduledBackup of this cluster through the barman-cloud plugin. */
  public addScheduledBackup(id: string, options: CnpgScheduledBackupOptions): ApiObject {
    if (!this.objectStore && !this.inTreeBackup) {
      throw propError(this, `addScheduledBackup(${id})`, undefined, 'call backupTo(objectStore) first: a scheduled backup needs somewhere to go');
    }
    const method = this.objectStore ? { method: 'plugin', pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN } } : { method: 'barmanObjectStore' };
    const name = options.name ?? dnsLabel(this.name, id);
    assertDnsSubdomain(this, `addScheduledBackup(${id}).name`, name);
    const backup = new ApiObject(this, id, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name },
      spec: {
        cluster: { name: this.name },
        schedule: options.schedule.toCnpg(),
        immediate: options.immediate ?? false,
        backupOwnerReference: 'self',
        ...method,
        target: options.preferStandby === false ? 'primary' : 'prefer-standby',
      },
    });
    SchemaValidation.addTo(backup);
    // Also catches an escape-hatch patch back to five fields, which CloudNativePG would read
    // with the minute as seconds.
    addManifestChecks(backup, (manifest) => {
      const schedule = String(manifest.spec?.schedule ?? '');
      const fields = schedule.trim().split(/\s+/).length;
      return fields === 6 ? [] : [`spec.schedule: "${schedule}" has ${fields} fields; CloudNativePG needs six, seconds first (use Schedule)`];
    });
    return backup;
  }

  /** A CloudNativePG Pooler (PgBouncer) in front of this cluster, with its own PDB and PodMonitor. */
  public addPooler(id: string, options: CnpgPoolerOptions = {}): ApiObject {
    const type = options.readOnly ? 'ro' : 'rw';
    const name = options.name ?? `${this.name}-pooler-${type}`;
    assertServiceName(this, `addPooler(${id}).name`, name);
    if (name === this.name) {
      throw propError(this, `addPooler(${id}).name`, name, 'CloudNativePG refuses a Pooler named like its cluster (their Services would collide); pick another name');
    }
    const instances = options.instances ?? 2;
    checkInteger(this, `addPooler(${id}).instances`, instances, 1, 100);
    const poolMode = options.poolMode ?? 'transaction';
    if (!['session', 'transaction'].includes(poolMode)) throw propError(this, `addPooler(${id}).poolMode`, poolMode, '"session" or "transaction"');
    const pooler = new ApiObject(this, id, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: { name },
      spec: {
        cluster: { name: this.name },
        instances,
        type,
        pgbouncer: { poolMode, ...(options.parameters ? { parameters: options.parameters } : {}) },
      },
    });
    SchemaValidation.addTo(pooler);
    const selector = { 'cnpg.io/poolerName': name };
    if (instances > 1) {
      new ApiObject(this, `${id}Disruption`, {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      });
    }
    this.addPodMonitor(`${id}PodMonitor`, selector);
    return pooler;
  }

  private inTreeBackupSpec() {
    if (!this.inTreeBackup) return undefined;
    return { retentionPolicy: this.inTreeBackup.retentionPolicy, barmanObjectStore: this.inTreeBackup.configuration };
  }

  private pluginsSpec() {
    if (!this.objectStore) return undefined;
    return [{ name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: this.objectStore.name } }];
  }

  private addPodMonitor(id: string, matchLabels: Record<string, string>): void {
    const monitor = new ApiObject(this, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      spec: {
        selector: { matchLabels },
        podMetricsEndpoints: [{ port: 'metrics', relabelings: [{ action: 'replace', targetLabel: 'cluster', replacement: this.name }] }],
      },
    });
    SchemaValidation.addTo(monitor);
  }
}

function secretRef(ref: SecretKeyRef) {
  return { name: ref.secret.name, key: ref.key };
}

function recoveryBootstrap(scope: Construct, recovery: CnpgRecovery, props: CnpgClusterProps) {
  const target = recovery.target;
  // CloudNativePG writes `recovery_target_action = promote` itself and waits for the promotion;
  // its recoveryTarget has no field for another action, so one would be silently lost.
  const action = target?.explicitAction;
  if (action && action.value !== RecoveryAction.PROMOTE.value) {
    throw propError(scope, 'recovery.target.action', action.value,
      'CloudNativePG always promotes at the end of a recovery bootstrap (recoveryTarget has no action field): use RecoveryAction.PROMOTE or leave the action unset');
  }
  const recoveryTarget = !target ? undefined
    : target.kind === 'time' ? { targetTime: target.value }
      : target.kind === 'lsn' ? { targetLSN: target.value }
        : target.kind === 'xid' ? { targetXID: target.value }
          : target.kind === 'name' ? { targetName: target.value }
            : { targetImmediate: true };
  const exclusive = target && !target.inclusive && ['time', 'lsn', 'xid'].includes(target.kind) ? { exclusive: true } : {};
  return {
    recovery: {
      source: 'origin',
      database: props.database ?? 'app',
      owner: props.owner ?? 'app',
      ...(recoveryTarget ? { recoveryTarget: { ...recoveryTarget, ...exclusive } } : {}),
    },
  };
}
