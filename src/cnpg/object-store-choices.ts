/**
 * How barman-cloud compresses WAL and base backups in the object store (the values the plugin
 * accepts for both).
 */
export class ObjectStoreCompression {
  /** gzip: everywhere, moderate speed and ratio. */
  public static readonly GZIP = new ObjectStoreCompression('gzip');
  /** bzip2: a better ratio, slower. */
  public static readonly BZIP2 = new ObjectStoreCompression('bzip2');
  /** lz4: fast, a lower ratio. */
  public static readonly LZ4 = new ObjectStoreCompression('lz4');
  /** snappy: fast, a lower ratio. */
  public static readonly SNAPPY = new ObjectStoreCompression('snappy');

  private constructor(
    /** The value of `wal.compression` and `data.compression`. */
    public readonly value: string,
  ) {}
}

/** Server-side encryption the object store applies to WAL and base backups (S3). */
export class ObjectStoreEncryption {
  /** SSE-S3 with S3-managed keys. */
  public static readonly AES256 = new ObjectStoreEncryption('AES256');
  /** SSE-KMS with the bucket's AWS KMS key. */
  public static readonly AWS_KMS = new ObjectStoreEncryption('aws:kms');

  private constructor(
    /** The value of `wal.encryption` and `data.encryption`. */
    public readonly value: string,
  ) {}
}
