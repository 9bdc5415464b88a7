export * from './pool-mode';
export * from './pgbouncer-version';
export * from './pgbouncer-settings';
export * from './pgbouncer-options';
export * from './pgbouncer-sidecar';
export * from './pgbouncer-deployment';
export * from './pool-sizing';
export * from './connection-budget';
