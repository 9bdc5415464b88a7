/**
 * `backend_flag` values of one pgpool-II backend.
 * @see https://www.pgpool.net/docs/43/en/html/runtime-config-backend-settings.html
 */
export class PgpoolBackendFlag {
  /** pgpool may detach the node when its health check or a connection fails (standbys: reads move elsewhere). */
  public static readonly ALLOW_TO_FAILOVER = new PgpoolBackendFlag('ALLOW_TO_FAILOVER');
  /** pgpool never detaches the node; the HA layer (operator, Patroni) handles its failure. */
  public static readonly DISALLOW_TO_FAILOVER = new PgpoolBackendFlag('DISALLOW_TO_FAILOVER');
  /** The node is the primary whatever pgpool sees: on Kubernetes the primary Service always leads to the primary. */
  public static readonly ALWAYS_PRIMARY = new PgpoolBackendFlag('ALWAYS_PRIMARY');

  private constructor(
    /** The value pgpool reads. */
    public readonly value: string,
  ) {}
}

/**
 * `disable_load_balance_on_write`: where reads go after a write, the read-your-own-writes knob.
 * @see https://www.pgpool.net/docs/43/en/html/runtime-config-load-balancing.html
 */
export class LoadBalanceOnWrite {
  /** Reads after a write in the same explicit transaction go to the primary (pgpool's default). */
  public static readonly TRANSACTION = new LoadBalanceOnWrite('transaction');
  /** As TRANSACTION, and reads in later explicit transactions of the session too. */
  public static readonly TRANS_TRANSACTION = new LoadBalanceOnWrite('trans_transaction');
  /** After a write, every later read of the session goes to the primary. */
  public static readonly ALWAYS = new LoadBalanceOnWrite('always');
  /** Only reads of the tables written in the session go to the primary. */
  public static readonly DML_ADAPTIVE = new LoadBalanceOnWrite('dml_adaptive');
  /** Reads are balanced even right after a write (they may miss it). */
  public static readonly OFF = new LoadBalanceOnWrite('off');

  private constructor(
    /** The value pgpool reads. */
    public readonly value: string,
  ) {}
}
