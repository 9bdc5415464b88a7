// The backup area's public API, listed by name: the files also hold internal helpers (path
// constants, checkers, renderers) that jsii cannot see and that must not reach TypeScript users.
export { BackupRepository, FullRetention, S3KeyType } from './repository';
export type { AzureRepositoryOptions, GcsRepositoryOptions, RepositoryOptions, S3Credentials, S3RepositoryOptions } from './repository';
export { CompressType } from './pgbackrest-settings';
export type { PgBackRestSettings } from './pgbackrest-settings';
export { RecoveryAction, RecoveryTarget } from './recovery-target';
export type { RecoveryTargetProps } from './recovery-target';
export { WalArchiving } from './wal-archiving';
export type { WalArchivingOptions } from './wal-archiving';
export type { PgBackRestTls } from './pgbackrest-tls';
export { PgBackRestServerSidecar } from './pgbackrest-server';
export type { IPgBackRestServer, PgBackRestServerAttributes, PgBackRestServerSidecarProps } from './pgbackrest-server';
export { PgBackRestBackups } from './pgbackrest-backups';
export type { PgBackRestBackupsProps } from './pgbackrest-backups';
export { DumpFormat, DumpStorage, PgDumpBackup } from './pg-dump';
export type { PgDumpBackupProps, PgDumpConnection } from './pg-dump';
export { RestoreCheck } from './restore-check';
export { RestoreSource, RestoreTest } from './restore-test';
export type { PgBackRestRestoreOptions, RestoreTestProps } from './restore-test';
