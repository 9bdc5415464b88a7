import { ContainerImage } from '../core/image';

/**
 * The `[pgbouncer]` settings of PgBouncer 1.18, as its `SHOW CONFIG` lists them. Read off the
 * real program that the contract tests run.
 */
const SETTINGS_1_18 = [
  'admin_users', 'application_name_add_host', 'auth_file', 'auth_hba_file', 'auth_query', 'auth_type', 'auth_user',
  'autodb_idle_timeout', 'client_idle_timeout', 'client_login_timeout', 'client_tls_ca_file', 'client_tls_cert_file',
  'client_tls_ciphers', 'client_tls_dheparams', 'client_tls_ecdhcurve', 'client_tls_key_file', 'client_tls_protocols',
  'client_tls_sslmode', 'default_pool_size', 'disable_pqexec', 'dns_max_ttl', 'dns_nxdomain_ttl', 'dns_zone_check_period',
  'idle_transaction_timeout', 'ignore_startup_parameters', 'job_name', 'listen_addr', 'listen_backlog', 'listen_port',
  'log_connections', 'log_disconnections', 'log_pooler_errors', 'log_stats', 'logfile', 'max_client_conn',
  'max_db_connections', 'max_packet_size', 'max_user_connections', 'min_pool_size', 'pidfile', 'pkt_buf', 'pool_mode',
  'query_timeout', 'query_wait_timeout', 'reserve_pool_size', 'reserve_pool_timeout', 'resolv_conf', 'sbuf_loopcnt',
  'server_check_delay', 'server_check_query', 'server_connect_timeout', 'server_fast_close', 'server_idle_timeout',
  'server_lifetime', 'server_login_retry', 'server_reset_query', 'server_reset_query_always', 'server_round_robin',
  'server_tls_ca_file', 'server_tls_cert_file', 'server_tls_ciphers', 'server_tls_key_file', 'server_tls_protocols',
  'server_tls_sslmode', 'so_reuseport', 'stats_period', 'stats_users', 'suspend_timeout', 'syslog', 'syslog_facility',
  'syslog_ident', 'tcp_defer_accept', 'tcp_keepalive', 'tcp_keepcnt', 'tcp_keepidle', 'tcp_keepintvl',
  'tcp_socket_buffer', 'tcp_user_timeout', 'unix_socket_dir', 'unix_socket_group', 'unix_socket_mode', 'user', 'verbose',
];

/** Settings added after 1.18 that the library knows, with the release that introduced them. */
const ADDED_AFTER_1_18: Readonly<Record<string, readonly [number, number]>> = {
  peer_id: [1, 19],
  max_prepared_statements: [1, 21],
};

/**
 * A PgBouncer release, used to refuse settings the running version would reject at start-up.
 * Usually derived from the image tag.
 */
export class PgBouncerVersion {
  /** The release of the default image and of the contract tests. */
  public static readonly V1_18 = new PgBouncerVersion(1, 18);

  /** A release by number. */
  public static of(major: number, minor: number): PgBouncerVersion {
    if (!Number.isInteger(major) || !Number.isInteger(minor) || major !== 1 || minor < 18) {
      throw new Error(`PgBouncerVersion: got ${major}.${minor}; the library supports PgBouncer 1.18 and later`);
    }
    return new PgBouncerVersion(major, minor);
  }

  /**
   * The release an image runs, read from a tag such as `1.23.1` or `v1.21.0-2`; throws when the
   * tag does not say, in which case pass the version explicitly.
   */
  public static fromImage(image: ContainerImage): PgBouncerVersion {
    const match = /^v?(\d+)\.(\d+)/.exec(image.tag);
    if (!match) {
      throw new Error(`PgBouncerVersion: cannot read a version from image tag "${image.tag}" of ${image.repository}; pass pgbouncerVersion explicitly`);
    }
    return PgBouncerVersion.of(Number(match[1]), Number(match[2]));
  }

  private constructor(
    /** Major release number. */
    public readonly major: number,
    /** Minor release number. */
    public readonly minor: number,
  ) {}

  /** Whether `[pgbouncer]` setting `name` exists in this release. */
  public knows(name: string): boolean {
    if (SETTINGS_1_18.includes(name)) return true;
    const added = ADDED_AFTER_1_18[name];
    return added !== undefined && this.atLeast(added[0], added[1]);
  }

  /** The first release that has `name`, when the library knows of one. */
  public introducedIn(name: string): string | undefined {
    const added = ADDED_AFTER_1_18[name];
    return added ? `${added[0]}.${added[1]}` : undefined;
  }

  /** Whether this release is `major.minor` or later. */
  public atLeast(major: number, minor: number): boolean {
    return this.major > major || (this.major === major && this.minor >= minor);
  }

  /** The release as `major.minor`, e.g. `1.18`. */
  public toString(): string {
    return `${this.major}.${this.minor}`;
  }
}
