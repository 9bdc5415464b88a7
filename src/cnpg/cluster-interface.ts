import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { CnpgBackupMethod } from './cluster-choices';
import type { ImageCatalogReference } from './cnpg-cluster-props';
import type { ICnpgObjectStore } from './object-store-props';
import { ConnectionEnvOptions } from '../core/connection-env';
import { ContainerImage } from '../core/image';

/**
 * A CloudNativePG `Cluster`: one defined here (`CnpgCluster`) or one managed elsewhere
 * (`CnpgCluster.fromClusterName`). Poolers, scheduled backups and restore tests take this.
 */
export interface ICnpgCluster extends IConstruct {
  /** The Cluster's name, also the prefix of its Services and app Secret. */
  readonly name: string;
  /** The application database created at bootstrap (where restore checks run). */
  readonly database: string;
  /** Owner of the application database. */
  readonly owner: string;
  /** The Service of the primary, `<name>-rw`. */
  readonly rwServiceName: string;
  /** The Service of the standbys, `<name>-ro`. */
  readonly roServiceName: string;
  /** The Service of any instance, `<name>-r`. */
  readonly rServiceName: string;
  /** The Secret of the application owner, `<name>-app` (keys `username`, `password`, `dbname`, `uri`, ...). */
  readonly appSecretName: string;
  /**
   * The operand image, when known and not from an image catalog.
   * @default - unknown (an imported cluster given none)
   */
  readonly image?: ContainerImage;
  /**
   * The image catalog entry the operand image comes from, if any.
   * @default - none
   */
  readonly imageCatalog?: ImageCatalogReference;
  /** PostgreSQL parameters of the cluster, as far as they are known (a restore test's throwaway needs some of them). */
  readonly parameters: { [name: string]: string };
  /**
   * The object store the cluster archives WAL and base backups to through the barman-cloud plugin.
   * @default - none
   */
  readonly backupStore?: ICnpgObjectStore;
  /**
   * How the cluster takes backups, which its ScheduledBackups must use.
   * @default - it takes none
   */
  readonly backupMethod?: CnpgBackupMethod;

  /**
   * Gives an application container its connection: `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`,
   * `PGPASSWORD` and `DATABASE_URL`. The primary is reached through the `-rw` Service and the
   * replicas through `-ro`, or through the cluster's pooler of that type when it has one (unless
   * `pooled` is false); user, password and database come from the app Secret by reference.
   * A container that already has one of the variables is refused: give a second connection a
   * `variablePrefix`. Add poolers before wiring: a pooler added after a container was wired past
   * it is refused.
   */
  addConnectionEnv(container: kplus.Container, options?: ConnectionEnvOptions): void;
}
