export * from './repository';
export * from './pgbackrest-settings';
export * from './recovery-target';
export * from './wal-archiving';
