// Public API of the patroni area, re-exported by src/index.ts (exports by name): the files also
// hold the renderer and checks, which stay internal.
export { PatroniDcs, PatroniVersion, ReplicaCreationMethod, SynchronousMode, WatchdogMode } from './patroni-choices';
export type { Etcd3DcsOptions, EtcdTls, KubernetesDcsOptions, PgBackRestReplicaOptions } from './patroni-choices';
export type { PatroniCallbacks, PatroniSettings, PatroniTags, PatroniUsers } from './patroni-settings';
export { PatroniCluster } from './patroni-cluster';
export type { PatroniClusterProps, PatroniPasswords } from './patroni-cluster';
export { PatroniSwitchover } from './patroni-switchover';
export type { IPatroniCluster, PatroniSwitchoverProps } from './patroni-switchover';
