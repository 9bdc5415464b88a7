export * from './custom-query';
export * from './default-queries';
export * from './exporter-databases';
export * from './pg-stat-statements';
export * from './alerts';
export * from './postgres-exporter';
