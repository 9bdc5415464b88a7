import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ObjectStoreCompression } from './object-store-choices';
import type { CnpgObjectStoreProps } from './object-store-props';
import { checkNoUrlCredentials } from './secret-literals';
import { propError } from '../core/errors';

/** The barman-cloud plugin's name in `spec.plugins` and backup `pluginConfiguration`. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/** A barman object store as CloudNativePG reads it: `retentionPolicy` and `configuration`. */
export interface BarmanConfiguration {
  readonly retentionPolicy: string;
  readonly configuration: Record<string, unknown>;
}

/**
 * The barman object store configuration shared by the plugin's ObjectStore and the deprecated
 * in-tree `backup.barmanObjectStore` (the same fields), checked prop by prop.
 */
export function barmanConfiguration(scope: IConstruct, props: CnpgObjectStoreProps): BarmanConfiguration {
  checkNoUrlCredentials(scope, 'destinationPath', props.destinationPath);
  checkNoUrlCredentials(scope, 'endpointUrl', props.endpointUrl);
  if (!/^(s3|gs|https):\/\/[^\s]+$/.test(props.destinationPath ?? '')) {
    throw propError(scope, 'destinationPath', props.destinationPath, 'an s3://, gs:// or https:// (Azure) URL');
  }
  const days = (props.retention ?? Duration.days(30)).toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) throw propError(scope, 'retention', props.retention?.toHumanString(), 'whole days, at least 1');
  const compression = (props.compression ?? ObjectStoreCompression.GZIP).value;
  const encryption = props.encryption ? { encryption: props.encryption.value } : {};
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
