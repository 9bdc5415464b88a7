export * from './cnpg-cluster-props';
export * from './cnpg-cluster';
export * from './object-store';
export * from './cnpg-restore-test';
