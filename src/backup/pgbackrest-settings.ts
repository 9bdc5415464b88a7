import { BackupRepository } from './repository';

/**
 * Compression of backups and archived WAL. Each type has its own level range, checked by
 * pgBackRest when a backup or archive-push starts (2.45: "'12' is out of range for
 * 'compress-level' option when 'compress-type' option = 'gz'").
 */
export class CompressType {
  /** zstd: fast with a good ratio; the default. Levels -7 to 22, default 3. */
  public static readonly ZST = new CompressType('zst', -7, 22, 3);
  /** lz4: fastest. Levels -5 to 12, default 1. */
  public static readonly LZ4 = new CompressType('lz4', -5, 12, 1);
  /** gzip. Levels -1 (zlib's default) to 9, default 6. */
  public static readonly GZ = new CompressType('gz', -1, 9, 6);
  /** bzip2. Levels 1 to 9, default 9. */
  public static readonly BZ2 = new CompressType('bz2', 1, 9, 9);
  /** No compression (for repositories on compressing storage); takes no level. */
  public static readonly NONE = new CompressType('none');

  private constructor(
    /** `compress-type`. */
    public readonly value: string,
    /** The lowest `compress-level` pgBackRest accepts for this type; undefined when the type takes no level. */
    public readonly minLevel?: number,
    /** The highest `compress-level` pgBackRest accepts for this type. */
    public readonly maxLevel?: number,
    /** pgBackRest's level when `compress-level` is not set. */
    public readonly defaultLevel?: number,
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
   * Compression of backups and archived WAL.
   * @default CompressType.ZST
   */
  readonly compressType?: CompressType;
  /**
   * Compression level, within the range of `compressType` (`CompressType.ZST.minLevel` ...
   * `maxLevel`: zst -7..22, lz4 -5..12, gz -1..9, bz2 1..9; none takes no level).
   * @default - pgBackRest's default for the type (zst 3, lz4 1, gz 6, bz2 9)
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
