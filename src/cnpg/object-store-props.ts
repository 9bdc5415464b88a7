import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ObjectStoreCompression, ObjectStoreEncryption } from './object-store-choices';
import { SecretKeyRef } from '../core/secret-ref';

/** Credentials of the object store, from Secrets. */
export class ObjectStoreCredentials {
  /** S3 access keys. */
  public static s3(accessKeyId: SecretKeyRef, secretAccessKey: SecretKeyRef): ObjectStoreCredentials {
    return new ObjectStoreCredentials({ s3Credentials: { accessKeyId: ref(accessKeyId), secretAccessKey: ref(secretAccessKey) } });
  }

  /** S3 through the pod's IAM role (IRSA). */
  public static s3IamRole(): ObjectStoreCredentials {
    return new ObjectStoreCredentials({ s3Credentials: { inheritFromIAMRole: true } });
  }

  /** Google Cloud Storage with a service account key. */
  public static gcs(applicationCredentials: SecretKeyRef): ObjectStoreCredentials {
    return new ObjectStoreCredentials({ googleCredentials: { applicationCredentials: ref(applicationCredentials) } });
  }

  /** Azure Blob Storage with a connection string. */
  public static azure(connectionString: SecretKeyRef): ObjectStoreCredentials {
    return new ObjectStoreCredentials({ azureCredentials: { connectionString: ref(connectionString) } });
  }

  private constructor(
    /** @internal */ public readonly _json: Record<string, unknown>,
  ) {}
}

function ref(secret: SecretKeyRef) {
  return { name: secret.secret.name, key: secret.key };
}

/** A barman-cloud `ObjectStore`, defined here (`CnpgObjectStore`) or elsewhere (`CnpgObjectStore.fromObjectStoreName`). */
export interface ICnpgObjectStore extends IConstruct {
  /** The ObjectStore's name, as clusters refer to it (`barmanObjectName`). */
  readonly name: string;
}

/** Props of `CnpgObjectStore`. */
export interface CnpgObjectStoreProps {
  /** Where WAL and base backups go, e.g. `s3://acme-db-backups/app-db`. */
  readonly destinationPath: string;
  /** How barman-cloud authenticates to the store. */
  readonly credentials: ObjectStoreCredentials;
  /**
   * For S3-compatible stores other than AWS. Credentials in the URL are refused (use `credentials`).
   * @default - the provider's default endpoint
   */
  readonly endpointUrl?: string;
  /** How long backups and WAL are kept. @default Duration.days(30) */
  readonly retention?: Duration;
  /** Compression of WAL and base backups. @default ObjectStoreCompression.GZIP */
  readonly compression?: ObjectStoreCompression;
  /** Server-side encryption of WAL and base backups. @default - none */
  readonly encryption?: ObjectStoreEncryption;
  /** Name of the ObjectStore. @default - the construct id, lower-cased, other characters as "-" */
  readonly name?: string;
}
