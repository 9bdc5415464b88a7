import { BackupRepository } from './repository';

/** Compression of backups and archived WAL. */
export class CompressType {
  /** zstd: fast with a good ratio; the default. */
  public static readonly ZST = new CompressType('zst');
  public static readonly LZ4 = new CompressType('lz4');
  public static readonly GZ = new CompressType('gz');
  public static readonly BZ2 = new CompressType('bz2');
  /** No compression (for repositories on compressing storage). */
  public static readonly NONE = new CompressType('none');

  private constructor(
    /** `compress-type`. */
    public readonly value: string,
  ) {}
}

/**
 * pgBackRest's settings in its own vocabulary. Keys and passphrases are not settings: they come
 * from Secrets as `PGBACKREST_*` environment variables.
 * @see https://pgbackrest.org/configuration.html
 */
export interface PgBackRestSettings {
  /** The stanza: the name of the cluster's backup set, e.g. `main` or `app-db`. */
  readonly stanza: string;
  /** One to four repositories; backups go to each (`repo1` ... `repo4`). */
  readonly repositories: BackupRepository[];
  /**
   * @default CompressType.ZST
   */
  readonly compressType?: CompressType;
  /**
   * Compression level.
   * @default - pgBackRest's default for the type (3 for zst)
   */
  readonly compressLevel?: number;
  /**
   * Parallel processes for backup, restore and async archiving.
   * @default 2
   */
  readonly processMax?: number;
  /**
   * Push and fetch WAL asynchronously through a spool directory (needed at high WAL rates).
   * @default true
   */
  readonly archiveAsync?: boolean;
  /**
   * Start backups with an immediate checkpoint rather than waiting for the next one.
   * @default true
   */
  readonly startFast?: boolean;
  /**
   * Copy files from a standby instead of the primary (needs pg2 configured as the standby).
   * @default false
   */
  readonly backupStandby?: boolean;
  /**
   * Restore and back up by checksum instead of timestamp (faster restores over an old copy).
   * @default true
   */
  readonly delta?: boolean;
}
