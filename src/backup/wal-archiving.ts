import { Duration } from 'cdk8s';
import { PGBACKREST_PATHS } from './pgbackrest-pod';
import { PostgresSetting } from '../core/postgres-config';

/** What the WAL archiving settings refer to. */
export interface WalArchivingOptions {
  /** The pgBackRest stanza. */
  readonly stanza: string;
  /**
   * The pgbackrest.conf the database's pgBackRest reads.
   * @default "/etc/pgbackrest/conf/pgbackrest.conf" (where every pod the library builds mounts it)
   */
  readonly configFile?: string;
  /**
   * Force a WAL segment switch at least this often, bounding how much committed work a lost
   * primary can take with it (the recovery point objective).
   * @default Duration.minutes(1)
   */
  readonly archiveTimeout?: Duration;
}

/**
 * The PostgreSQL settings that ship WAL to pgBackRest, for a plain or Patroni-managed PostgreSQL
 * (CloudNativePG archives through its own plugin).
 */
export class WalArchiving {
  /** `wal_level`, `archive_mode`, `archive_command`, `archive_timeout` and `restore_command`. */
  public static postgresSettings(options: WalArchivingOptions): PostgresSetting[] {
    const timeout = options.archiveTimeout ?? Duration.minutes(1);
    return [
      { name: 'wal_level', value: 'replica' },
      { name: 'archive_mode', value: 'on' },
      { name: 'archive_command', value: WalArchiving.archiveCommand(options) },
      { name: 'archive_timeout', value: `${timeout.toSeconds()}s` },
      { name: 'restore_command', value: WalArchiving.restoreCommand(options) },
    ];
  }

  /** `pgbackrest ... archive-push %p`. */
  public static archiveCommand(options: WalArchivingOptions): string {
    return `${WalArchiving.pgbackrest(options)} archive-push %p`;
  }

  /** `pgbackrest ... archive-get %f "%p"`. */
  public static restoreCommand(options: WalArchivingOptions): string {
    return `${WalArchiving.pgbackrest(options)} archive-get %f "%p"`;
  }

  private static pgbackrest(options: WalArchivingOptions): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(options.stanza)) {
      throw new Error(`WalArchiving: stanza got ${JSON.stringify(options.stanza)}; letters, digits, "_", "." and "-"`);
    }
    // The same constant the pods mount the config at: a command computed before (or without) the
    // sidecar must still name the file the database container will have.
    const config = options.configFile ?? PGBACKREST_PATHS.configFile;
    if (!/^\/[A-Za-z0-9_./-]+$/.test(config)) throw new Error(`WalArchiving: configFile got ${JSON.stringify(config)}; an absolute path without spaces or quotes`);
    return `pgbackrest --config=${config} --stanza=${options.stanza}`;
  }

  private constructor() {}
}
