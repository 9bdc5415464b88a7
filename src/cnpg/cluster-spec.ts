import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BARMAN_CLOUD_PLUGIN, BarmanConfiguration } from './barman-configuration';
import { AntiAffinity, DataDurability, PrimaryUpdateMethod, SynchronousMethod } from './cluster-choices';
import { CnpgClusterProps, CnpgRecovery, ManagedRole } from './cnpg-cluster-props';
import { ImageCatalog } from '../core/image';
import { SecretKeyRef } from '../core/secret-ref';

/** Where a cluster sends WAL and base backups, as its spec names it. */
export type ClusterBackup =
  /** Through the barman-cloud plugin into the ObjectStore of that name. */
  | { readonly pluginObjectStore: string }
  /** The deprecated in-tree `backup.barmanObjectStore`. */
  | { readonly inTree: BarmanConfiguration };

/** Everything a Cluster's spec is rendered from: the props (already checked) and what is derived from them. */
export interface ClusterSpecInput {
  /** The Cluster's name. */
  readonly name: string;
  readonly props: CnpgClusterProps;
  /** PostgreSQL parameters as rendered: derived from memory, with the user's on top. */
  readonly parameters: Record<string, string>;
  /** @default - no backups */
  readonly backup?: ClusterBackup;
}

/** The default post-init SQL: pg_stat_statements, which the monitoring and alerts read. */
export const DEFAULT_POST_INIT_SQL = ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements'];

/**
 * A CloudNativePG `Cluster` spec (postgresql.cnpg.io/v1), field for field as the operator reads
 * it. Pure: the same input renders the same object; the props are checked by the caller
 * (`checkClusterProps`).
 */
export function clusterSpec(input: ClusterSpecInput): Record<string, unknown> {
  const { name, props } = input;
  const sync = props.synchronous;
  const memory = `${(props.memory ?? Size.gibibytes(1)).toMebibytes()}Mi`;
  const storage = (size: Size) => ({ size: `${size.toGibibytes({ rounding: SizeRoundingBehavior.NONE })}Gi`, ...(props.storageClass ? { storageClass: props.storageClass } : {}) });
  const catalog = props.imageCatalog;
  return {
    instances: props.instances ?? 3,
    ...(catalog
      ? { imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: catalog.kind, name: catalog.name, major: catalog.major } }
      : { imageName: (props.image ?? ImageCatalog.CNPG_POSTGRES).reference }),
    primaryUpdateMethod: (props.primaryUpdateMethod ?? PrimaryUpdateMethod.SWITCHOVER).value,
    enablePDB: props.podDisruptionBudget ?? true,
    postgresql: {
      parameters: { ...input.parameters },
      shared_preload_libraries: ['pg_stat_statements'],
      ...(props.pgHba ? { pg_hba: props.pgHba } : {}),
      ...(sync ? {
        synchronous: {
          method: (sync.method ?? SynchronousMethod.ANY).value,
          number: sync.number,
          dataDurability: (sync.dataDurability ?? DataDurability.REQUIRED).value,
        },
      } : {}),
    },
    bootstrap: props.recovery ? recoveryBootstrap(props.recovery, props) : {
      initdb: {
        database: props.database ?? 'app',
        owner: props.owner ?? 'app',
        ...(props.ownerSecret ? { secret: { name: props.ownerSecret.name } } : {}),
        dataChecksums: true,
        postInitApplicationSQL: props.postInitApplicationSql ?? DEFAULT_POST_INIT_SQL,
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
      requests: { memory, cpu: (props.cpu ?? kplus.Cpu.millis(500)).amount },
      limits: { memory },
    },
    affinity: { enablePodAntiAffinity: true, podAntiAffinityType: (props.antiAffinity ?? AntiAffinity.PREFERRED).value, topologyKey: 'kubernetes.io/hostname' },
    ...(props.spreadAcrossZones ? {
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'cnpg.io/cluster': name } },
      }],
    } : {}),
    ...(props.managedRoles ? { managed: { roles: props.managedRoles.map(managedRole) } } : {}),
    ...backupSpec(input.backup),
  };
}

function backupSpec(backup: ClusterBackup | undefined): Record<string, unknown> {
  if (!backup) return {};
  if ('pluginObjectStore' in backup) {
    return { plugins: [{ name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: backup.pluginObjectStore } }] };
  }
  return { backup: { retentionPolicy: backup.inTree.retentionPolicy, barmanObjectStore: backup.inTree.configuration } };
}

function managedRole(role: ManagedRole) {
  return {
    name: role.name,
    ensure: 'present',
    login: role.login ?? true,
    ...(role.passwordSecret ? { passwordSecret: { name: role.passwordSecret.name } } : {}),
    ...(role.inRoles ? { inRoles: role.inRoles } : {}),
    ...(role.connectionLimit !== undefined ? { connectionLimit: role.connectionLimit } : {}),
  };
}

function secretRef(ref: SecretKeyRef) {
  return { name: ref.secret.name, key: ref.key };
}

/** CloudNativePG's recovery bootstrap; the target's action is checked by `checkClusterProps` (always promote). */
function recoveryBootstrap(recovery: CnpgRecovery, props: CnpgClusterProps) {
  const target = recovery.target;
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
