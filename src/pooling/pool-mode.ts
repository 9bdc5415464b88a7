/**
 * When PgBouncer gives a server connection back to the pool.
 *
 * The choice decides which PostgreSQL features the application may use, so there is no silent
 * default in the constructs' documentation: read this before picking one.
 * @see https://www.pgbouncer.org/features.html
 */
export class PoolMode {
  /**
   * The server connection belongs to the client until it disconnects. Every PostgreSQL feature
   * works; multiplexing is limited to reuse between client sessions.
   */
  public static readonly SESSION = new PoolMode('session');

  /**
   * The server connection is returned after each transaction: the most reuse, and what most web
   * applications want. It breaks features that live in the session rather than the transaction:
   * session-level `SET` (use `SET LOCAL`), session advisory locks (use `pg_advisory_xact_lock`),
   * `LISTEN`/`NOTIFY` listeners, `WITH HOLD` cursors, temporary tables kept across transactions,
   * and protocol-level prepared statements unless `maxPreparedStatements` is set (PgBouncer
   * 1.21 or later).
   */
  public static readonly TRANSACTION = new PoolMode('transaction');

  /**
   * The server connection is returned after each statement: multi-statement transactions are
   * refused. Only for autocommit workloads.
   */
  public static readonly STATEMENT = new PoolMode('statement');

  private constructor(
    /** The value of `pool_mode`. */
    public readonly value: string,
  ) {}
}

/**
 * How PgBouncer authenticates clients (`auth_type`).
 * @see https://www.pgbouncer.org/config.html#auth_type
 */
export class AuthType {
  /** SCRAM-SHA-256 against the auth file or auth query: the default, and what PostgreSQL 14+ stores. */
  public static readonly SCRAM_SHA_256 = new AuthType('scram-sha-256');
  /** MD5, or SCRAM when the stored secret is a SCRAM verifier. Only for legacy MD5 passwords. */
  public static readonly MD5 = new AuthType('md5');
  /** TLS client certificate; requires client TLS with `verify-full` style checking. */
  public static readonly CERT = new AuthType('cert');
  /** Rules from an `auth_hba_file`. */
  public static readonly HBA = new AuthType('hba');

  private constructor(
    /** The value of `auth_type`. */
    public readonly value: string,
  ) {}
}

/**
 * TLS mode for PgBouncer's client side (`client_tls_sslmode`) or server side
 * (`server_tls_sslmode`), with libpq's names.
 */
export class TlsMode {
  /** Plain TCP only. */
  public static readonly DISABLE = new TlsMode('disable');
  /** Plain TCP unless TLS is insisted on: a client asking for TLS gets it; toward the server, TLS only when plain is refused. */
  public static readonly ALLOW = new TlsMode('allow');
  /** TLS when the other side supports it, plain TCP otherwise; no certificate is checked. */
  public static readonly PREFER = new TlsMode('prefer');
  /** TLS required; no certificate is checked. */
  public static readonly REQUIRE = new TlsMode('require');
  /** TLS required, with a certificate signed by the configured CA (client side: a valid client certificate). */
  public static readonly VERIFY_CA = new TlsMode('verify-ca');
  /** As `VERIFY_CA`; toward the server the certificate must also name the host connected to (client side: as `VERIFY_CA`). */
  public static readonly VERIFY_FULL = new TlsMode('verify-full');

  private constructor(
    /** The sslmode value. */
    public readonly value: string,
  ) {}
}
