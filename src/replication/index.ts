// Public API of the replication area, re-exported by src/index.ts (exports by name).
export { ReplicationPassword } from './replication-password';
export { ReplicationSslMode, WalLevel } from './replication-choices';
export { SynchronousStandbys } from './synchronous-standbys';
export { StreamingReplication } from './streaming-replication';
export type { ReplicationStandby, StreamingReplicationProps } from './streaming-replication';
export { LoadBalanceOnWrite, PgpoolBackendFlag } from './pgpool-choices';
export type { PgpoolBackend, PgpoolSettings } from './pgpool-settings';
export { PgpoolDeployment } from './pgpool-deployment';
export type { PgpoolDeploymentProps, PgpoolUser } from './pgpool-deployment';
