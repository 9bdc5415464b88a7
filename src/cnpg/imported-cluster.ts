import { Construct } from 'constructs';
import { CnpgClusterBase } from './cluster-base';
import { CnpgBackupMethod } from './cluster-choices';
import { ImageCatalogReference } from './cnpg-cluster-props';
import { ICnpgObjectStore } from './object-store-props';
import { ContainerImage } from '../core/image';
import { assertServiceName } from '../core/naming';

/** What is known of a cluster managed elsewhere (`CnpgCluster.fromClusterName`). */
export interface CnpgClusterImportOptions {
  /**
   * Its application database.
   * @default "app"
   */
  readonly database?: string;
  /**
   * Owner of its application database.
   * @default "app"
   */
  readonly owner?: string;
  /**
   * Its operand image (a restore test's throwaway runs the same).
   * @default - CloudNativePG's default image of this library (ImageCatalog.CNPG_POSTGRES) for a restore test's throwaway
   */
  readonly image?: ContainerImage;
  /**
   * Its image catalog entry, instead of an image.
   * @default - none
   */
  readonly imageCatalog?: ImageCatalogReference;
  /**
   * Its PostgreSQL parameters, at least those a server replaying its WAL needs as high
   * (`max_connections`, `max_locks_per_transaction`, `max_prepared_transactions`,
   * `max_wal_senders`, `max_worker_processes`) when they are raised.
   * @default - none known
   */
  readonly parameters?: { [name: string]: string };
  /**
   * The ObjectStore it backs up to through the barman-cloud plugin: scheduled backups and
   * restore tests need it.
   * @default - it takes no backups known here
   */
  readonly backupStore?: ICnpgObjectStore;
  /**
   * The Secret holding the application owner's credentials, when it is not the one CloudNativePG
   * generates (the cluster was bootstrapped with an owner Secret of yours, basic-auth).
   * @default "<name>-app"
   */
  readonly appSecretName?: string;
}

/** A cluster managed elsewhere: referenced by name, never rendered. */
export class ImportedCnpgCluster extends CnpgClusterBase {
  public readonly database: string;
  public readonly owner: string;
  public readonly image?: ContainerImage;
  public readonly imageCatalog?: ImageCatalogReference;
  public readonly parameters: { [name: string]: string };
  public readonly backupStore?: ICnpgObjectStore;
  private readonly givenAppSecretName?: string;

  constructor(scope: Construct, id: string, public readonly name: string, options: CnpgClusterImportOptions = {}) {
    super(scope, id);
    assertServiceName(this, 'name', name, 50);
    this.database = options.database ?? 'app';
    this.owner = options.owner ?? 'app';
    this.image = options.image;
    this.imageCatalog = options.imageCatalog;
    this.parameters = { ...options.parameters };
    this.backupStore = options.backupStore;
    this.givenAppSecretName = options.appSecretName;
  }

  public get appSecretName(): string {
    return this.givenAppSecretName ?? super.appSecretName;
  }

  public get backupMethod(): CnpgBackupMethod | undefined {
    return this.backupStore ? CnpgBackupMethod.PLUGIN : undefined;
  }
}
