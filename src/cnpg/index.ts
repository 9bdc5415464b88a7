// Explicit: only what jsii can see. Renderers, checks and constants stay internal.
export { AntiAffinity, CnpgBackupMethod, DataDurability, PrimaryUpdateMethod, SynchronousMethod } from './cluster-choices';
export type { ICnpgCluster } from './cluster-interface';
export type { CnpgClusterProps, CnpgRecovery, ImageCatalogReference, ManagedRole, SynchronousReplication } from './cnpg-cluster-props';
export { CnpgClusterBase } from './cluster-base';
export { CnpgCluster } from './cnpg-cluster';
export type { CnpgClusterImportOptions } from './imported-cluster';
export { CnpgPooler } from './cnpg-pooler';
export type { CnpgPoolerOptions, CnpgPoolerProps } from './cnpg-pooler';
export { CnpgScheduledBackup } from './cnpg-scheduled-backup';
export type { CnpgScheduledBackupOptions, CnpgScheduledBackupProps } from './cnpg-scheduled-backup';
export { CnpgObjectStore } from './object-store';
export { ObjectStoreCredentials } from './object-store-props';
export type { CnpgObjectStoreProps, ICnpgObjectStore } from './object-store-props';
export { ObjectStoreCompression, ObjectStoreEncryption } from './object-store-choices';
export { CnpgRestoreTest } from './cnpg-restore-test';
export type { CnpgRestoreTestProps } from './cnpg-restore-test';
