import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkNoUrlCredentials } from './secret-literals';
import { propError } from '../core/errors';
import { assertDnsSubdomain, dnsLabel } from '../core/naming';
import { SchemaValidation } from '../core/schema-validation';
import { SecretKeyRef } from '../core/secret-ref';
import { checkUniqueNames } from '../core/unique-names';

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

/** Props of `CnpgObjectStore`. */
export interface CnpgObjectStoreProps {
  /** e.g. `s3://acme-db-backups/app-db` */
  readonly destinationPath: string;
  readonly credentials: ObjectStoreCredentials;
  /**
   * For S3-compatible stores other than AWS. Credentials in the URL are refused (use `credentials`).
   * @default - the provider's default endpoint
   */
  readonly endpointUrl?: string;
  /** How long backups and WAL are kept. @default Duration.days(30) */
  readonly retention?: Duration;
  /** `gzip`, `bzip2`, `snappy`, `lz4`, ... for WAL and data. @default "gzip" */
  readonly compression?: string;
  /** Server-side encryption: `AES256` or `aws:kms`. @default - none */
  readonly encryption?: string;
  /** @default - the construct id, lower-cased, other characters as "-" */
  readonly name?: string;
}

/**
 * A barman-cloud plugin `ObjectStore` (barmancloud.cnpg.io/v1): where a CloudNativePG cluster
 * archives WAL and base backups. Credentials are Secret references.
 */
export class CnpgObjectStore extends Construct {
  public readonly name: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CnpgObjectStoreProps) {
    super(scope, id);
    const { configuration, retentionPolicy } = barmanConfiguration(this, props);
    this.name = props.name ?? dnsLabel(this.node.id);
    assertDnsSubdomain(this, 'name', this.name);
    checkUniqueNames(this);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: { name: this.name },
      spec: { retentionPolicy, configuration },
    });
    SchemaValidation.addTo(this.resource);
  }
}

/**
 * The barman object store configuration shared by the plugin's ObjectStore and the deprecated
 * in-tree `backup.barmanObjectStore` (the same fields), checked prop by prop.
 */
export function barmanConfiguration(scope: Construct, props: CnpgObjectStoreProps) {
  checkNoUrlCredentials(scope, 'destinationPath', props.destinationPath);
  checkNoUrlCredentials(scope, 'endpointUrl', props.endpointUrl);
  if (!/^(s3|gs|https):\/\/[^\s]+$/.test(props.destinationPath ?? '')) {
    throw propError(scope, 'destinationPath', props.destinationPath, 'an s3://, gs:// or https:// (Azure) URL');
  }
  const days = (props.retention ?? Duration.days(30)).toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) throw propError(scope, 'retention', props.retention?.toHumanString(), 'whole days, at least 1');
  const compression = props.compression ?? 'gzip';
  if (!['bzip2', 'gzip', 'lz4', 'snappy'].includes(compression)) throw propError(scope, 'compression', compression, 'bzip2, gzip, lz4 or snappy');
  if (props.encryption !== undefined && !['AES256', 'aws:kms'].includes(props.encryption)) throw propError(scope, 'encryption', props.encryption, 'AES256 or aws:kms');
  const encryption = props.encryption ? { encryption: props.encryption } : {};
  return {
    retentionPolicy: `${days}d`,
    configuration: {
      destinationPath: props.destinationPath,
      ...(props.endpointUrl ? { endpointURL: props.endpointUrl } : {}),
      ...props.credentials._json,
      wal: { compression, ...encryption },
      data: { compression, ...encryption },
    },
  };
}
