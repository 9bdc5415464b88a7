export * from './repository';
export * from './pgbackrest-settings';
export * from './recovery-target';
export * from './wal-archiving';
export * from './pgbackrest-tls';
export * from './pgbackrest-server';
export * from './pgbackrest-backups';
export * from './pg-dump';
