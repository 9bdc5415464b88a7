import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BARMAN_CLOUD_PLUGIN } from './barman-configuration';
import { CnpgBackupMethod } from './cluster-choices';
import { ICnpgCluster } from './cluster-interface';
import { propError } from '../core/errors';
import { addManifestChecks } from '../core/manifest-checks';
import { assertDnsSubdomain, dnsLabel } from '../core/naming';
import { Schedule } from '../core/schedule';
import { SchemaValidation } from '../core/schema-validation';
import { checkUniqueNames } from '../core/unique-names';

/** Options of a CloudNativePG ScheduledBackup (`CnpgCluster.addScheduledBackup`). */
export interface CnpgScheduledBackupOptions {
  /** When to back up; rendered with CloudNativePG's leading seconds field. */
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

/** Props of `CnpgScheduledBackup`. */
export interface CnpgScheduledBackupProps extends CnpgScheduledBackupOptions {
  /**
   * The cluster to back up. It must take backups (`backupTo`, or `backupStore` given to
   * `CnpgCluster.fromClusterName`): the backup uses its method.
   */
  readonly cluster: ICnpgCluster;
}

/** A CloudNativePG `ScheduledBackup`: base backups of a cluster on a schedule, by the cluster's backup method. */
export class CnpgScheduledBackup extends Construct {
  /** The ScheduledBackup's name. */
  public readonly name: string;
  /** The `ScheduledBackup` object (the escape hatch: `ApiObject.of(backup)` is the same). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CnpgScheduledBackupProps) {
    super(scope, id);
    const method = props.cluster.backupMethod;
    if (!method) {
      throw propError(this, 'cluster', props.cluster.name, 'the cluster takes no backups: call backupTo(objectStore) first '
        + '(for a cluster managed elsewhere, pass its backupStore to CnpgCluster.fromClusterName)');
    }
    this.name = props.name ?? dnsLabel(props.cluster.name, id);
    assertDnsSubdomain(this, 'name', this.name);
    const methodSpec = method.value === CnpgBackupMethod.PLUGIN.value
      ? { method: method.value, pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN } }
      : { method: method.value };
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: this.name },
      spec: {
        cluster: { name: props.cluster.name },
        schedule: props.schedule.toCnpg(),
        immediate: props.immediate ?? false,
        backupOwnerReference: 'self',
        ...methodSpec,
        target: props.preferStandby === false ? 'primary' : 'prefer-standby',
      },
    });
    checkUniqueNames(this);
    SchemaValidation.addTo(this.resource);
    // Also catches an escape-hatch patch back to five fields, which CloudNativePG would read
    // with the minute as seconds.
    addManifestChecks(this.resource, (manifest) => {
      const schedule = String(manifest.spec?.schedule ?? '');
      const fields = schedule.trim().split(/\s+/).length;
      return fields === 6 ? [] : [`spec.schedule: "${schedule}" has ${fields} fields; CloudNativePG needs six, seconds first (use Schedule)`];
    });
  }
}
