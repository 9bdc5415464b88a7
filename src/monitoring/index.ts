// Only what jsii can see: classes, structs and enum-like classes. The renderers and checkers
// (queries-yaml, exporter-dsn, metrics/) stay internal.
export * from './custom-query';
export * from './default-queries';
export * from './exporter-databases';
export * from './pg-stat-statements';
export * from './alerts';
export * from './postgres-exporter';
