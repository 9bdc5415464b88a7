// The pooling area's public API, listed by name: the files also hold internal helpers (renderer,
// checkers, defaults, the pod wiring) that jsii cannot see and that must not reach TypeScript users.
export { AuthType, PoolMode, TlsMode } from './pool-mode';
export { PgBouncerVersion } from './pgbouncer-version';
export type { PgBouncerClientTls, PgBouncerDatabase, PgBouncerServerTls, PgBouncerSettings } from './pgbouncer-settings';
export type { PgBouncerOptions } from './pgbouncer-options';
export { PgBouncerSidecar } from './pgbouncer-sidecar';
export type { PgBouncerSidecarProps } from './pgbouncer-sidecar';
export { PgBouncerDeployment } from './pgbouncer-deployment';
export type { PgBouncerDeploymentProps, PgBouncerExporterOptions } from './pgbouncer-deployment';
export { PoolSizing } from './pool-sizing';
export type { ServerCapacity } from './pool-sizing';
export { ConnectionBudget } from './connection-budget';
export type { ConnectionAllowanceProps, ConnectionBudgetProps, ConnectionShare, IConnectionBudget, IConnectionConsumer } from './connection-budget';
