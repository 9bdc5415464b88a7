import { SecretKeyRef } from '../core/secret-ref';

/**
 * Where a standby's walreceiver finds the replication user's password. Never written into
 * `primary_conninfo`: it would land in a ConfigMap and in `pg_stat_wal_receiver`.
 */
export class ReplicationPassword {
  /**
   * A libpq password file (`host:port:database:user:password` lines) mounted from a Secret at
   * `path`: `primary_conninfo` gets `passfile=<path>`. The file must be readable by the postgres
   * user only (mode 0600 or 0400), or libpq ignores it.
   * @param path absolute path of the file in the standby container
   * @see https://www.postgresql.org/docs/15/libpq-pgpass.html
   */
  public static passfile(path: string): ReplicationPassword {
    return new ReplicationPassword(path, undefined);
  }

  /**
   * The `PGPASSWORD` environment variable of the standby's postgres process, from a Secret:
   * the walreceiver's libpq reads it when the conninfo has no password. Add it to the container
   * with `StreamingReplication.addPasswordEnv`.
   * @param secret the Secret key holding the password
   */
  public static fromSecretEnv(secret: SecretKeyRef): ReplicationPassword {
    return new ReplicationPassword(undefined, secret);
  }

  private constructor(
    /**
     * The password file's path, for `passfile`.
     * @default - none: the password comes from the environment
     */
    public readonly passfilePath: string | undefined,
    /**
     * The Secret key, for `fromSecretEnv`.
     * @default - none: the password comes from a file
     */
    public readonly secret: SecretKeyRef | undefined,
  ) {}
}
