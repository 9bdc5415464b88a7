export * from './alert-rule';
export * from './alert-family';
export * from './postgres-alerts';
