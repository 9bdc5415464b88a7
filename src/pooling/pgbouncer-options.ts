import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConnectionBudget } from './connection-budget';
import { PgBouncerSettings } from './pgbouncer-settings';
import { PgBouncerVersion } from './pgbouncer-version';
import { ContainerImage } from '../core/image';
import { SecretKeyRef } from '../core/secret-ref';

/** What every PgBouncer construct takes, sidecar or standalone. */
export interface PgBouncerOptions {
  /** PgBouncer's settings. */
  readonly settings: PgBouncerSettings;
  /**
   * The auth file (`userlist.txt`: lines of `"user" "SCRAM-SHA-256$..."`) in a Secret. It is
   * mounted read-only; it never passes through a ConfigMap.
   */
  readonly authFile: SecretKeyRef;
  /**
   * PgBouncer image.
   * @default ImageCatalog.PGBOUNCER
   */
  readonly image?: ContainerImage;
  /**
   * The PgBouncer release the image runs, which decides the settings it accepts.
   * @default - read from the image tag
   */
  readonly pgbouncerVersion?: PgBouncerVersion;
  /**
   * Port PgBouncer listens on.
   * @default 6432
   */
  readonly port?: number;
  /**
   * Container resources.
   * @default - requests 50m CPU and 64Mi memory, memory limit 128Mi
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Numeric user (and group) PgBouncer runs as.
   * @default 998
   */
  readonly runAsUser?: number;
  /**
   * On pod termination, how long PgBouncer keeps serving before its safe shutdown starts, so the
   * application can finish requests that still need the database. After the delay PgBouncer
   * stops taking new transactions, lets in-flight ones finish and exits.
   * @default Duration.seconds(5)
   */
  readonly drainDelay?: Duration;
  /**
   * The connection budget of the one server all `[databases]` entries point to; this pooler
   * claims its share of server connections there. For entries on several servers use
   * `connectionBudgets`.
   * @default - not checked
   */
  readonly connectionBudget?: IConnectionBudget;
  /**
   * The connection budgets of the servers the `[databases]` entries point to, one per server,
   * each with its `host` (and `port`): every entry is charged to the budget of its server.
   * Entries on a server without a budget here are not checked.
   * @default - not checked
   */
  readonly connectionBudgets?: IConnectionBudget[];
  /**
   * Distinct users that connect through each database entry, for the connection budget (each
   * user gets its own pool). `max_db_connections` caps the total whatever this says.
   * @default 1
   */
  readonly usersPerDatabase?: number;
}
