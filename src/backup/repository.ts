import { Duration } from 'cdk8s';
import { ConfEntry } from '../core/render/value';
import { SecretKeyRef } from '../core/secret-ref';

/** How long full backups are kept: by count or by age. */
export class FullRetention {
  /** Keep this many full backups (and what depends on them). */
  public static count(fulls: number): FullRetention {
    return new FullRetention('count', fulls);
  }

  /** Keep full backups younger than `age` (whole days), plus the newest older one. */
  public static time(age: Duration): FullRetention {
    return new FullRetention('time', age.toDays({ integral: false }));
  }

  private constructor(
    /** `repo-retention-full-type`: `count` or `time`. */
    public readonly retentionType: string,
    /** `repo-retention-full`: a count, or days. */
    public readonly value: number,
  ) {}
}

/** Static credentials of an S3 repository, from a Secret. */
export interface S3Credentials {
  /** Access key id, delivered as `PGBACKREST_REPO<n>_S3_KEY`. */
  readonly accessKeyId: SecretKeyRef;
  /** Secret access key, delivered as `PGBACKREST_REPO<n>_S3_KEY_SECRET`. */
  readonly secretAccessKey: SecretKeyRef;
}

/** How pgBackRest obtains S3 credentials. */
export class S3KeyType {
  /** Static keys from a Secret (`credentials`). */
  public static readonly SHARED = new S3KeyType('shared');
  /** Temporary credentials from the instance metadata service. */
  public static readonly AUTO = new S3KeyType('auto');
  /** Web identity (IRSA on EKS): the pod's ServiceAccount token is exchanged for credentials. */
  public static readonly WEB_ID = new S3KeyType('web-id');

  private constructor(
    /** `repo-s3-key-type`. */
    public readonly value: string,
  ) {}
}

/** S3 or S3-compatible storage. */
export interface S3RepositoryOptions {
  /** The bucket. */
  readonly bucket: string;
  /** The S3 endpoint, e.g. `s3.eu-west-1.amazonaws.com`, or a MinIO host. */
  readonly endpoint: string;
  /** The bucket's region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * `path` style for most S3-compatible stores, `host` style for AWS.
   * @default - host
   */
  readonly pathStyle?: boolean;
  /**
   * How pgBackRest obtains credentials.
   * @default S3KeyType.SHARED
   */
  readonly keyType?: S3KeyType;
  /**
   * Static keys; required with `S3KeyType.SHARED`, refused otherwise.
   * @default - none
   */
  readonly credentials?: S3Credentials;
}

/** Google Cloud Storage. */
export interface GcsRepositoryOptions {
  /** The bucket. */
  readonly bucket: string;
  /**
   * The service account key file (JSON), mounted from its Secret. Without it the instance's
   * service account is used (`repo-gcs-key-type=auto`).
   * @default - the instance service account
   */
  readonly serviceAccountKey?: SecretKeyRef;
}

/** Azure Blob Storage. */
export interface AzureRepositoryOptions {
  /** Storage account name. */
  readonly account: string;
  /** The blob container. */
  readonly container: string;
  /** Shared key or SAS token, delivered as `PGBACKREST_REPO<n>_AZURE_KEY`. */
  readonly key: SecretKeyRef;
  /**
   * Whether `key` is a SAS token rather than a shared key.
   * @default false
   */
  readonly sasToken?: boolean;
}

/** Options every repository shares. */
export interface RepositoryOptions {
  /**
   * Path of the repository inside the volume or bucket.
   * @default "/pgbackrest"
   */
  readonly path?: string;
  /** Retention of full backups (differentials and incrementals follow their full). */
  readonly retentionFull: FullRetention;
  /**
   * Differential backups kept.
   * @default - as many as their fulls
   */
  readonly retentionDiff?: number;
  /**
   * Backups whose WAL is kept for point-in-time recovery (counted in full backups).
   * @default - WAL of every retained backup
   */
  readonly retentionArchive?: number;
  /**
   * Encrypt the repository with aes-256-cbc; the passphrase is delivered as
   * `PGBACKREST_REPO<n>_CIPHER_PASS` and never written to pgbackrest.conf.
   * @default - not encrypted
   */
  readonly cipherPassphrase?: SecretKeyRef;
}

/** One of up to four pgBackRest repositories. */
export class BackupRepository {
  /**
   * A POSIX filesystem, usually a PersistentVolumeClaim mounted at `path` (ReadWriteMany when
   * both the database pod and the backup jobs write to it).
   */
  public static posix(options: RepositoryOptions): BackupRepository {
    return new BackupRepository('posix', options, []);
  }

  /** An S3 bucket, on AWS or an S3-compatible store; keys, when static, come from a Secret. */
  public static s3(s3: S3RepositoryOptions, options: RepositoryOptions): BackupRepository {
    const entries: ConfEntry[] = [
      { key: 's3-bucket', value: s3.bucket },
      { key: 's3-endpoint', value: s3.endpoint },
      { key: 's3-region', value: s3.region },
      { key: 's3-uri-style', value: s3.pathStyle ? 'path' : 'host' },
      { key: 's3-key-type', value: (s3.keyType ?? S3KeyType.SHARED).value },
    ];
    return new BackupRepository('s3', options, entries, s3);
  }

  /** A Google Cloud Storage bucket, with a mounted service account key or the instance's account. */
  public static gcs(gcs: GcsRepositoryOptions, options: RepositoryOptions): BackupRepository {
    const entries: ConfEntry[] = [
      { key: 'gcs-bucket', value: gcs.bucket },
      { key: 'gcs-key-type', value: gcs.serviceAccountKey ? 'service' : 'auto' },
    ];
    return new BackupRepository('gcs', options, entries, undefined, gcs);
  }

  /** An Azure Blob Storage container, with a shared key or SAS token from a Secret. */
  public static azure(azure: AzureRepositoryOptions, options: RepositoryOptions): BackupRepository {
    const entries: ConfEntry[] = [
      { key: 'azure-account', value: azure.account },
      { key: 'azure-container', value: azure.container },
      { key: 'azure-key-type', value: azure.sasToken ? 'sas' : 'shared' },
    ];
    return new BackupRepository('azure', options, entries, undefined, undefined, azure);
  }

  private constructor(
    /** `repo-type`: `posix`, `s3`, `gcs` or `azure`. */
    public readonly repositoryType: string,
    /** Retention, path and encryption. */
    public readonly options: RepositoryOptions,
    /** @internal */
    public readonly _typeEntries: ConfEntry[],
    /** @internal */
    public readonly _s3?: S3RepositoryOptions,
    /** @internal */
    public readonly _gcs?: GcsRepositoryOptions,
    /** @internal */
    public readonly _azure?: AzureRepositoryOptions,
  ) {}
}
