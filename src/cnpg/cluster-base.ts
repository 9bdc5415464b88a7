import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CnpgBackupMethod } from './cluster-choices';
import { addClusterConnection } from './cluster-connection';
import { ICnpgCluster } from './cluster-interface';
import { ImageCatalogReference } from './cnpg-cluster-props';
import { ICnpgObjectStore } from './object-store-props';
import { ConnectionEnvOptions } from '../core/connection-env';
import { ContainerImage } from '../core/image';

/**
 * What every CloudNativePG cluster offers, whether defined here (`CnpgCluster`) or managed
 * elsewhere (`CnpgCluster.fromClusterName`): the names the operator derives from the cluster's
 * name, and the application wiring.
 */
export abstract class CnpgClusterBase extends Construct implements ICnpgCluster {
  /** The Cluster's name, also the prefix of its Services and app Secret. */
  public abstract readonly name: string;
  /** The application database created at bootstrap (where restore checks run). */
  public abstract readonly database: string;
  /** Owner of the application database. */
  public abstract readonly owner: string;
  /**
   * The operand image, when known and not from an image catalog.
   * @default - unknown
   */
  public abstract readonly image?: ContainerImage;
  /**
   * The image catalog entry the operand image comes from, if any.
   * @default - none
   */
  public abstract readonly imageCatalog?: ImageCatalogReference;
  /** PostgreSQL parameters of the cluster, as far as they are known. */
  public abstract readonly parameters: { [name: string]: string };
  /**
   * The object store the cluster archives WAL and base backups to through the barman-cloud plugin.
   * @default - none
   */
  public abstract readonly backupStore?: ICnpgObjectStore;
  /**
   * How the cluster takes backups, which its ScheduledBackups must use.
   * @default - it takes none
   */
  public abstract readonly backupMethod?: CnpgBackupMethod;

  /** The Service of the primary, `<name>-rw`. */
  public get rwServiceName(): string {
    return `${this.name}-rw`;
  }

  /** The Service of the standbys, `<name>-ro`. */
  public get roServiceName(): string {
    return `${this.name}-ro`;
  }

  /** The Service of any instance, `<name>-r`. */
  public get rServiceName(): string {
    return `${this.name}-r`;
  }

  /** The Secret CloudNativePG generates for the application owner, `<name>-app`. */
  public get appSecretName(): string {
    return `${this.name}-app`;
  }

  /**
   * Gives an application container its connection (see `ICnpgCluster.addConnectionEnv`): through
   * the cluster's pooler for the target when it has one, else the `-rw` or `-ro` Service. Add
   * poolers first: a pooler added after a container was wired past it is refused.
   */
  public addConnectionEnv(container: kplus.Container, options?: ConnectionEnvOptions): void {
    addClusterConnection(this, this, container, options);
  }
}
