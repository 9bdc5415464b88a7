// Public API, re-exports only. Renderers and helpers under core/render and core/*.ts that are
// not listed here are internal building blocks of the constructs.
export * from './core/schedule';
export * from './core/secret-ref';
export * from './core/image';
export * from './core/schema-validation';
export * from './core/warnings';
export * from './core/secret-rotation';
export * from './core/network-policy';
export * from './core/security';
export * from './core/connection-env';
export * from './core/postgres-config';
export * from './pooling';
export * from './backup';
export * from './core/scheduled-job-options';
export * from './monitoring';
export * from './cnpg';
export * from './patroni';
export * from './replication';
export * from './migrations';
export * from './checks';
