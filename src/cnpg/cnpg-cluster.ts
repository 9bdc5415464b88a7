import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { barmanConfiguration, BarmanConfiguration } from './barman-configuration';
import { CnpgClusterBase } from './cluster-base';
import { checkClusterProps } from './cluster-checks';
import { CnpgBackupMethod } from './cluster-choices';
import { ICnpgCluster } from './cluster-interface';
import { ClusterBackup, clusterSpec } from './cluster-spec';
import { CnpgClusterProps, ImageCatalogReference } from './cnpg-cluster-props';
import { CnpgPooler, CnpgPoolerOptions } from './cnpg-pooler';
import { CnpgScheduledBackup, CnpgScheduledBackupOptions } from './cnpg-scheduled-backup';
import { CnpgClusterImportOptions, ImportedCnpgCluster } from './imported-cluster';
import { CnpgObjectStoreProps, ICnpgObjectStore } from './object-store-props';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { assertServiceName, dnsLabel } from '../core/naming';
import { addPodMonitor } from '../core/pod-monitor';
import { SchemaValidation } from '../core/schema-validation';
import { checkUniqueNames } from '../core/unique-names';

/**
 * A CloudNativePG `Cluster` with production defaults: three instances spread over nodes, memory
 * parameters derived from the pod's memory, pg_stat_statements, a PodDisruptionBudget,
 * switchover on updates, and our own PodMonitor (CloudNativePG's `enablePodMonitor` is
 * deprecated). Backups go through the barman-cloud plugin (`backupTo`).
 */
export class CnpgCluster extends CnpgClusterBase {
  /**
   * A cluster managed elsewhere (another chart, another tool), by name. It can be wired into
   * applications (`addConnectionEnv`), fronted by a `CnpgPooler`, backed up by a
   * `CnpgScheduledBackup` and restore-tested when `options.backupStore` says where it backs up;
   * its own spec (instances, backups, monitoring) stays where it is managed: it has no
   * `backupTo`, `addPooler` or `addScheduledBackup`, and gets no PodMonitor from here.
   */
  public static fromClusterName(scope: Construct, id: string, name: string, options: CnpgClusterImportOptions = {}): ICnpgCluster {
    return new ImportedCnpgCluster(scope, id, name, options);
  }

  /** The Cluster's name, also the prefix of its Services and app Secret. */
  public readonly name: string;
  /** The `Cluster` object (the escape hatch: `ApiObject.of(cluster)` is the same). */
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
  /** How many instances (a primary and its standbys) the cluster runs. */
  public readonly instances: number;
  private readonly ownerSecretName?: string;
  private objectStore?: ICnpgObjectStore;
  private inTreeBackup?: BarmanConfiguration;

  constructor(scope: Construct, id: string, props: CnpgClusterProps) {
    super(scope, id);
    this.name = props.name ?? dnsLabel(this.node.id);
    // CloudNativePG names the Services <name>-rw/-ro/-r and refuses cluster names over 50.
    assertServiceName(this, 'name', this.name, 50);
    checkUniqueNames(this);
    const parameters = checkClusterProps(this, props);
    this.database = props.database ?? 'app';
    this.owner = props.owner ?? 'app';
    this.imageCatalog = props.imageCatalog;
    this.image = props.imageCatalog ? undefined : props.image ?? ImageCatalog.CNPG_POSTGRES;
    this.parameters = { ...parameters };
    this.instances = props.instances ?? 3;
    this.ownerSecretName = props.ownerSecret?.name;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: this.name },
      // Rendered at synth: backupTo() may come later.
      spec: Lazy.any({ produce: () => clusterSpec({ name: this.name, props, parameters, backup: this.backup() }) }),
    });
    SchemaValidation.addTo(this.resource);
    addPodMonitor(this, 'PodMonitor', { matchLabels: { 'cnpg.io/cluster': this.name, 'cnpg.io/podRole': 'instance' }, port: 'metrics', clusterLabel: this.name });
  }

  /**
   * The Secret of the application owner: `ownerSecret` when given (CloudNativePG then uses it and
   * creates no `<name>-app`), else `<name>-app`.
   */
  public get appSecretName(): string {
    return this.ownerSecretName ?? super.appSecretName;
  }

  /** The object store `backupTo` sends this cluster's WAL and base backups to, if any. */
  public get backupStore(): ICnpgObjectStore | undefined {
    return this.objectStore;
  }

  /** How the cluster takes backups (`backupTo`: the plugin; the deprecated in-tree store), if it does. */
  public get backupMethod(): CnpgBackupMethod | undefined {
    if (this.objectStore) return CnpgBackupMethod.PLUGIN;
    return this.inTreeBackup ? CnpgBackupMethod.BARMAN_OBJECT_STORE : undefined;
  }

  /**
   * Archives WAL and takes base backups into `store` through the barman-cloud plugin (the
   * in-tree `backup.barmanObjectStore` is deprecated).
   */
  public backupTo(store: ICnpgObjectStore): void {
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

  /** A ScheduledBackup of this cluster by its backup method (call `backupTo` first). */
  public addScheduledBackup(id: string, options: CnpgScheduledBackupOptions): CnpgScheduledBackup {
    return new CnpgScheduledBackup(this, id, { ...options, cluster: this });
  }

  /** A CloudNativePG Pooler (PgBouncer) in front of this cluster, with its own PDB and PodMonitor. */
  public addPooler(id: string, options: CnpgPoolerOptions = {}): CnpgPooler {
    return new CnpgPooler(this, id, { ...options, cluster: this });
  }

  private backup(): ClusterBackup | undefined {
    if (this.objectStore) return { pluginObjectStore: this.objectStore.name };
    return this.inTreeBackup ? { inTree: this.inTreeBackup } : undefined;
  }
}
