import { SecretKeyRef } from './secret-ref';

/** Which servers an application connection reaches. */
export class ConnectionTarget {
  /** The primary: reads and writes. */
  public static readonly PRIMARY = new ConnectionTarget('primary');
  /** The hot standbys: read-only queries that tolerate replication lag. */
  public static readonly REPLICAS = new ConnectionTarget('replicas');

  private constructor(
    /** `primary` or `replicas`. */
    public readonly role: string,
  ) {}
}

/** How the connection URL variable is spelled. */
export class ConnectionUrlStyle {
  /** `postgresql://user:password@host:port/database`: libpq, psycopg, node-postgres, Go pgx, Rails. */
  public static readonly POSTGRESQL = new ConnectionUrlStyle('postgresql');
  /** `jdbc:postgresql://host:port/database?user=…&password=…`: the PostgreSQL JDBC driver. */
  public static readonly JDBC = new ConnectionUrlStyle('jdbc');

  private constructor(
    /** `postgresql` or `jdbc`. */
    public readonly style: string,
  ) {}
}

/**
 * Names of the environment variables a connection sets. Give other names to wire two
 * connections (say the primary and the replicas) into one container.
 */
export interface ConnectionVariables {
  /**
   * The connection URL.
   * @default - `${variablePrefix}DATABASE_URL`
   */
  readonly url?: string;
  /**
   * The host name (a Service, or `localhost` for a sidecar).
   * @default - `${variablePrefix}PGHOST`
   */
  readonly host?: string;
  /**
   * The port.
   * @default - `${variablePrefix}PGPORT`
   */
  readonly port?: string;
  /**
   * The database name.
   * @default - `${variablePrefix}PGDATABASE`
   */
  readonly database?: string;
  /**
   * The user name.
   * @default - `${variablePrefix}PGUSER`
   */
  readonly user?: string;
  /**
   * The password (from a Secret).
   * @default - `${variablePrefix}PGPASSWORD`
   */
  readonly password?: string;
}

/**
 * How `addConnectionEnv` wires an application container, the same for every construct that
 * offers it (PgBouncer sidecar and Deployment, CloudNativePG clusters and poolers).
 *
 * The password only ever comes from a Secret: the container gets it as its own variable and the
 * URL refers to it as `$(VAR)`, which the kubelet expands. It must therefore be URL-safe (the
 * passwords CloudNativePG generates are).
 */
export interface ConnectionEnvOptions {
  /**
   * The primary or the replicas.
   * @default ConnectionTarget.PRIMARY
   */
  readonly target?: ConnectionTarget;
  /**
   * Connect through the construct's pooler for the target when it has one.
   * @default true
   */
  readonly pooled?: boolean;
  /**
   * The database to connect to.
   * @default - the construct's application database (required for PgBouncer)
   */
  readonly database?: string;
  /**
   * The user to log in as.
   * @default - the construct's application owner (required for PgBouncer)
   */
  readonly user?: string;
  /**
   * The user's password in a Secret.
   * @default - the construct's application Secret (required for PgBouncer)
   */
  readonly password?: SecretKeyRef;
  /**
   * Prepended to every default variable name, e.g. `REPLICA_` gives `REPLICA_DATABASE_URL`,
   * `REPLICA_PGHOST`, ….
   * @default "" (the libpq names and `DATABASE_URL`)
   */
  readonly variablePrefix?: string;
  /**
   * Names for individual variables; they win over `variablePrefix`.
   * @default - the prefixed libpq names and `DATABASE_URL`
   */
  readonly variables?: ConnectionVariables;
  /**
   * How the URL variable is spelled.
   * @default ConnectionUrlStyle.POSTGRESQL
   */
  readonly urlStyle?: ConnectionUrlStyle;
}
