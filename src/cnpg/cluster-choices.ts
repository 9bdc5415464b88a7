/** How CloudNativePG keeps instances apart (`affinity.podAntiAffinityType`). */
export class AntiAffinity {
  /** Prefer separate nodes; schedule together when there is no choice. */
  public static readonly PREFERRED = new AntiAffinity('preferred');
  /** Never two instances on one node. */
  public static readonly REQUIRED = new AntiAffinity('required');

  private constructor(
    /** `podAntiAffinityType`. */
    public readonly value: string,
  ) {}
}

/**
 * How synchronous standbys are chosen (`postgresql.synchronous.method`).
 * @see https://cloudnative-pg.io/documentation/current/replication/#synchronous-replication
 */
export class SynchronousMethod {
  /** Quorum: any `number` standbys confirm each commit (`ANY n (...)`). */
  public static readonly ANY = new SynchronousMethod('any');
  /** Priority: the first `number` standbys in the list confirm each commit (`FIRST n (...)`). */
  public static readonly FIRST = new SynchronousMethod('first');

  private constructor(
    /** The value of `synchronous.method`. */
    public readonly value: string,
  ) {}
}

/**
 * What happens to writes when too few synchronous standbys are up
 * (`postgresql.synchronous.dataDurability`).
 */
export class DataDurability {
  /** Refuse to confirm commits without enough synchronous standbys: no committed write is lost. */
  public static readonly REQUIRED = new DataDurability('required');
  /** Fall back to asynchronous replication while standbys are missing: writes go on, a failover may lose some. */
  public static readonly PREFERRED = new DataDurability('preferred');

  private constructor(
    /** The value of `synchronous.dataDurability`. */
    public readonly value: string,
  ) {}
}

/** How CloudNativePG updates the primary after the standbys (`primaryUpdateMethod`). */
export class PrimaryUpdateMethod {
  /** Switch over to an updated standby first, then update the old primary: the shortest write outage. */
  public static readonly SWITCHOVER = new PrimaryUpdateMethod('switchover');
  /** Restart the primary in place: no change of primary, a longer write outage. */
  public static readonly RESTART = new PrimaryUpdateMethod('restart');

  private constructor(
    /** The value of `primaryUpdateMethod`. */
    public readonly value: string,
  ) {}
}

/** How a CloudNativePG cluster's backups are taken (a ScheduledBackup's `method`). */
export class CnpgBackupMethod {
  /** Through the barman-cloud plugin into an `ObjectStore` (`backupTo`). */
  public static readonly PLUGIN = new CnpgBackupMethod('plugin');
  /** The deprecated in-tree `backup.barmanObjectStore`. */
  public static readonly BARMAN_OBJECT_STORE = new CnpgBackupMethod('barmanObjectStore');

  private constructor(
    /** The value of a ScheduledBackup's `method`. */
    public readonly value: string,
  ) {}
}
