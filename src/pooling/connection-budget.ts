import { Construct } from 'constructs';
import { checkInteger, checkText } from '../core/prop-checks';
import { propError } from '../core/errors';
import { addSynthValidation } from '../core/synth-scope';

/** The PostgreSQL server whose connections are being shared. */
export interface ConnectionBudgetProps {
  /**
   * The server's host as PgBouncer `[databases]` entries spell it (e.g. `app-db-rw.db.svc`;
   * compared without regard to case). A pooler charges each of its entries to the budget of the
   * server that entry points to, so a primary and a replica each get their own budget.
   * @default - the server is not named: every pooler given this budget must point all its
   * `[databases]` entries at one server, which is then counted here
   */
  readonly host?: string;
  /**
   * The server's port, with `host`.
   * @default 5432
   */
  readonly port?: number;
  /** `max_connections` of the server. */
  readonly maxConnections: number;
  /**
   * `superuser_reserved_connections`: slots only superusers may use.
   * @default 3 (PostgreSQL's default)
   */
  readonly superuserReservedConnections?: number;
  /**
   * `reserved_connections` (PostgreSQL 16 and later): slots for roles with pg_use_reserved_connections.
   * @default 0
   */
  readonly reservedConnections?: number;
  /**
   * A name for the server in error messages.
   * @default - the construct path
   */
  readonly serverName?: string;
}

/** One claim on the server's connections. */
export interface ConnectionShare {
  /** Server connections this consumer can open at most. */
  readonly connections: number;
  /**
   * How the figure was reached, shown in the error.
   * @default - none
   */
  readonly detail?: string;
}

interface Consumer {
  readonly name: string;
  readonly share: () => ConnectionShare;
}

/**
 * The server connections of one PostgreSQL server, shared by every pooler and application pool
 * that can reach it. At synth it checks that all of them together can open no more than
 * `max_connections` minus the reserved slots; otherwise the synth fails with each contributor
 * and its share, instead of the application failing with "too many clients" under load.
 *
 * A budget is per server. Give it the server's `host` (and `port`) and pass the budgets of every
 * server a pooler reaches in its `connectionBudgets`: each `[databases]` entry is charged to the
 * budget whose host and port it points to, so a pooler with a primary entry and a replica entry
 * charges each pool to its own server. A budget without a host only takes poolers whose entries
 * all point to one server. Add anything else that connects directly (application pools,
 * migration jobs, exporters) with `addConsumer()`.
 *
 * @example
 * const primary = new ConnectionBudget(this, 'Primary', { host: 'app-db-rw', maxConnections: 100 });
 * const replica = new ConnectionBudget(this, 'Replica', { host: 'app-db-ro', maxConnections: 100 });
 * new PgBouncerSidecar(this, 'Pooler', { workload, authFile, settings, connectionBudgets: [primary, replica] });
 */
export class ConnectionBudget extends Construct {
  /** Connections poolers and applications may use: max_connections minus reserved slots. */
  public readonly available: number;
  /** The server's host, when the budget names it. */
  public readonly host?: string;
  /** The server's port (5432 unless given). */
  public readonly port: number;
  private readonly consumers: Consumer[] = [];
  private readonly props: ConnectionBudgetProps;
  private pinnedServer?: string;

  constructor(scope: Construct, id: string, props: ConnectionBudgetProps) {
    super(scope, id);
    checkInteger(this, 'maxConnections', props.maxConnections, 1, 262143);
    checkInteger(this, 'superuserReservedConnections', props.superuserReservedConnections, 0);
    checkInteger(this, 'reservedConnections', props.reservedConnections, 0);
    checkText(this, 'host', props.host);
    checkInteger(this, 'port', props.port, 1, 65535);
    if (props.port !== undefined && props.host === undefined) {
      throw propError(this, 'port', props.port, 'a port names a server together with its host: give host too');
    }
    this.host = props.host;
    this.port = props.port ?? 5432;
    this.props = props;
    this.available = props.maxConnections - (props.superuserReservedConnections ?? 3) - (props.reservedConnections ?? 0);
    if (this.available < 1) {
      throw propError(this, 'maxConnections', props.maxConnections, 'leaves no connection once the reserved slots are taken; raise it or reserve fewer');
    }
    addSynthValidation(this, () => this.check());
  }

  /**
   * Claims `connections` server connections for `name`, e.g. an application's own pool.
   * @param detail how the figure was reached, for the error message
   */
  public addConsumer(name: string, connections: number, detail?: string): void {
    checkInteger(this, `addConsumer(${name}).connections`, connections, 0);
    this.consumers.push({ name, share: () => ({ connections, detail }) });
  }

  /**
   * Registers a consumer whose share is computed at synth (poolers whose settings may still change).
   * @internal
   */
  public _addConsumer(name: string, share: () => ConnectionShare): void {
    this.consumers.push({ name, share });
  }

  /**
   * Whether a `[databases]` entry pointing at `host:port` is charged here; always true for a
   * budget without a host.
   * @internal
   */
  public _serves(host: string, port: number): boolean {
    return this.host === undefined || (this.host.toLowerCase() === host.toLowerCase() && this.port === port);
  }

  /**
   * For a budget without a host: remembers the first server a pooler charged here and returns
   * it, so a pooler pointing elsewhere can be refused (a budget counts one server).
   * @internal
   */
  public _pinServer(server: string): string {
    this.pinnedServer = this.pinnedServer ?? server;
    return this.pinnedServer;
  }

  /** The server as error messages name it. */
  public get serverName(): string {
    return this.props.serverName ?? (this.host ? `PostgreSQL ${this.host}:${this.port}` : 'PostgreSQL');
  }

  /** The total claimed so far. */
  public get claimed(): number {
    return this.consumers.reduce((sum, c) => sum + c.share().connections, 0);
  }

  private check(): string[] {
    const shares = this.consumers.map((c) => ({ name: c.name, ...c.share() }));
    const total = shares.reduce((sum, s) => sum + s.connections, 0);
    if (total <= this.available) return [];
    const { maxConnections, superuserReservedConnections, reservedConnections } = this.props;
    const reserved = [`${superuserReservedConnections ?? 3} superuser`, ...(reservedConnections ? [`${reservedConnections} reserved`] : [])].join(' + ');
    const lines = shares
      .sort((a, b) => b.connections - a.connections || a.name.localeCompare(b.name))
      .map((s) => `  - ${s.name}: ${s.connections}${s.detail ? ` (${s.detail})` : ''}`);
    return [
      [
        `${this.serverName} has max_connections ${maxConnections} minus ${reserved} = ${this.available} available, ` +
          `but its poolers and applications can open ${total} server connections (${total - this.available} too many):`,
        ...lines,
        '  Lower pool sizes or replicas, cap pools with max_db_connections, or raise max_connections.',
      ].join('\n'),
    ];
  }
}
