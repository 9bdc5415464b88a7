/**
 * `wal_level` for a primary with standbys: `minimal` cannot feed a standby, so it is not offered.
 * @see https://www.postgresql.org/docs/15/runtime-config-wal.html#GUC-WAL-LEVEL
 */
export class WalLevel {
  /** Enough WAL for physical standbys and archiving (PostgreSQL's default). */
  public static readonly REPLICA = new WalLevel('replica');
  /** Also logical decoding (logical replication, change data capture); more WAL. */
  public static readonly LOGICAL = new WalLevel('logical');

  private constructor(
    /** The value PostgreSQL reads. */
    public readonly value: string,
  ) {}
}

/**
 * libpq `sslmode` of the standby's connection to the primary.
 * @see https://www.postgresql.org/docs/15/libpq-ssl.html#LIBPQ-SSL-PROTECTION
 */
export class ReplicationSslMode {
  /** TLS when the server offers it, no certificate check (libpq's default). */
  public static readonly PREFER = new ReplicationSslMode('prefer');
  /** TLS or no connection; no certificate check. */
  public static readonly REQUIRE = new ReplicationSslMode('require');
  /** TLS with the server certificate checked against the CA and the host name. */
  public static readonly VERIFY_FULL = new ReplicationSslMode('verify-full');
  /** No TLS. */
  public static readonly DISABLE = new ReplicationSslMode('disable');

  private constructor(
    /** The value libpq reads. */
    public readonly value: string,
  ) {}
}
