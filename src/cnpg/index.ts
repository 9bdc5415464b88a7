export * from './cnpg-cluster-props';
export * from './cnpg-cluster';
export * from './object-store';
