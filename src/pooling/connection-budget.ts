import { Construct, IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { checkInteger, checkText } from '../core/prop-checks';
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
   * @default - "PostgreSQL <host>:<port>", or "PostgreSQL" without a host
   */
  readonly serverName?: string;
}

/** The share of a server managed elsewhere that this app may use, for `ConnectionBudget.fromAllowance`. */
export interface ConnectionAllowanceProps {
  /**
   * Server connections this app's poolers and applications may open together: the share the
   * server's owner granted, not its `max_connections`.
   */
  readonly connections: number;
  /**
   * The server's host as PgBouncer `[databases]` entries spell it (compared without regard to case).
   * @default - the server is not named: every pooler given this budget must point all its
   * `[databases]` entries at one server
   */
  readonly host?: string;
  /**
   * The server's port, with `host`.
   * @default 5432
   */
  readonly port?: number;
  /**
   * A name for the server in error messages.
   * @default - "PostgreSQL <host>:<port>", or "PostgreSQL" without a host
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

/** Something that connects to a server and whose share is known only at synth (a pooler whose settings may still change). */
export interface IConnectionConsumer {
  /** The consumer as the budget's error names it, e.g. its construct path. */
  readonly consumerName: string;
  /** The most server connections the consumer can open, asked at synth. */
  connectionShare(): ConnectionShare;
}

/**
 * The connections of one PostgreSQL server that poolers and applications share: what a pooler
 * needs of a budget to charge its pools to it. Made by `new ConnectionBudget()` for a server whose
 * `max_connections` you set, or by `ConnectionBudget.fromAllowance()` for a share of a server
 * managed elsewhere.
 */
export interface IConnectionBudget extends IConstruct {
  /**
   * The server's host as `[databases]` entries spell it.
   * @default - the budget counts the one server its poolers point to
   */
  readonly host?: string;
  /** The server's port. */
  readonly port: number;
  /**
   * Claims `connections` server connections for `name`, e.g. an application's own pool or a
   * migration job connecting directly.
   * @param name the consumer in the error message
   * @param connections the most server connections it opens
   * @param detail how the figure was reached, for the error message
   */
  addConsumer(name: string, connections: number, detail?: string): void;
  /** Claims the share `consumer` reports at synth (a pooler's pools, which may still grow). */
  addComputedConsumer(consumer: IConnectionConsumer): void;
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
export class ConnectionBudget extends Construct implements IConnectionBudget {
  /**
   * A budget for a server managed elsewhere (another team's cluster, a managed database): its
   * `max_connections` is not yours to divide and other applications you cannot see connect to
   * it too, so what you know is the share you were granted. The synth fails when this app's
   * poolers and applications together could open more than `connections`.
   *
   * @example
   * const shared = ConnectionBudget.fromAllowance(this, 'Billing', { host: 'billing-db.finance.svc', connections: 40 });
   */
  public static fromAllowance(scope: Construct, id: string, props: ConnectionAllowanceProps): IConnectionBudget {
    return new AllowanceBudget(scope, id, props);
  }

  /** Connections poolers and applications may use: max_connections minus reserved slots. */
  public readonly available: number;
  /**
   * The server's host, when the budget names it.
   * @default - the budget counts the one server its poolers point to
   */
  public readonly host?: string;
  /** The server's port (5432 unless given). */
  public readonly port: number;
  private readonly ledger = new Ledger();
  private readonly props: ConnectionBudgetProps;

  constructor(scope: Construct, id: string, props: ConnectionBudgetProps) {
    super(scope, id);
    checkInteger(this, 'maxConnections', props.maxConnections, 1, 262143);
    checkInteger(this, 'superuserReservedConnections', props.superuserReservedConnections, 0);
    checkInteger(this, 'reservedConnections', props.reservedConnections, 0);
    checkServer(this, props);
    this.host = props.host;
    this.port = props.port ?? 5432;
    this.props = props;
    this.available = props.maxConnections - (props.superuserReservedConnections ?? 3) - (props.reservedConnections ?? 0);
    if (this.available < 1) {
      throw propError(this, 'maxConnections', props.maxConnections, 'leaves no connection once the reserved slots are taken; raise it or reserve fewer');
    }
    addSynthValidation(this, () => this.ledger.check(this.available, (total) => {
      const { maxConnections, superuserReservedConnections, reservedConnections } = this.props;
      const reserved = [`${superuserReservedConnections ?? 3} superuser`, ...(reservedConnections ? [`${reservedConnections} reserved`] : [])].join(' + ');
      return `${this.serverName} has max_connections ${maxConnections} minus ${reserved} = ${this.available} available, `
        + `but its poolers and applications can open ${total} server connections (${total - this.available} too many):`;
    }, 'raise max_connections'));
  }

  /**
   * Claims `connections` server connections for `name`, e.g. an application's own pool.
   * @param name the consumer in the error message
   * @param connections the most server connections it opens
   * @param detail how the figure was reached, for the error message
   */
  public addConsumer(name: string, connections: number, detail?: string): void {
    this.ledger.addFixed(this, name, connections, detail);
  }

  /** Claims the share `consumer` reports at synth (a pooler's pools, which may still grow). */
  public addComputedConsumer(consumer: IConnectionConsumer): void {
    this.ledger.add(consumer);
  }

  /** The server as error messages name it. */
  public get serverName(): string {
    return serverNameOf(this.props);
  }

  /** The total claimed so far. */
  public get claimed(): number {
    return this.ledger.claimed();
  }
}

/** The budget `ConnectionBudget.fromAllowance` returns. */
class AllowanceBudget extends Construct implements IConnectionBudget {
  public readonly host?: string;
  public readonly port: number;
  private readonly ledger = new Ledger();

  constructor(scope: Construct, id: string, props: ConnectionAllowanceProps) {
    super(scope, id);
    checkInteger(this, 'connections', props.connections, 1, 262143);
    checkServer(this, props);
    this.host = props.host;
    this.port = props.port ?? 5432;
    addSynthValidation(this, () => this.ledger.check(props.connections, (total) =>
      `${serverNameOf(props)} allows this app ${props.connections} connections, `
      + `but its poolers and applications can open ${total} server connections (${total - props.connections} too many):`,
    'ask the server\'s owner for a larger allowance'));
  }

  public addConsumer(name: string, connections: number, detail?: string): void {
    this.ledger.addFixed(this, name, connections, detail);
  }

  public addComputedConsumer(consumer: IConnectionConsumer): void {
    this.ledger.add(consumer);
  }
}

function checkServer(scope: IConstruct, props: { readonly host?: string; readonly port?: number }): void {
  checkText(scope, 'host', props.host);
  checkInteger(scope, 'port', props.port, 1, 65535);
  if (props.port !== undefined && props.host === undefined) {
    throw propError(scope, 'port', props.port, 'a port names a server together with its host: give host too');
  }
}

function serverNameOf(props: { readonly host?: string; readonly port?: number; readonly serverName?: string }): string {
  return props.serverName ?? (props.host ? `PostgreSQL ${props.host}:${props.port ?? 5432}` : 'PostgreSQL');
}

/** The claims on one budget and the synth check that they fit. */
class Ledger {
  private readonly consumers: IConnectionConsumer[] = [];

  public add(consumer: IConnectionConsumer): void {
    this.consumers.push(consumer);
  }

  public addFixed(scope: IConstruct, name: string, connections: number, detail: string | undefined): void {
    checkInteger(scope, `addConsumer(${name}).connections`, connections, 0);
    this.add({ consumerName: name, connectionShare: () => ({ connections, detail }) });
  }

  public claimed(): number {
    return this.consumers.reduce((sum, c) => sum + c.connectionShare().connections, 0);
  }

  /** Nothing when the claims fit in `available`; otherwise the error, headed by `headline(total)`. */
  public check(available: number, headline: (total: number) => string, remedy: string): string[] {
    const shares = this.consumers.map((c) => ({ name: c.consumerName, ...c.connectionShare() }));
    const total = shares.reduce((sum, s) => sum + s.connections, 0);
    if (total <= available) return [];
    const lines = shares
      .sort((a, b) => b.connections - a.connections || a.name.localeCompare(b.name))
      .map((s) => `  - ${s.name}: ${s.connections}${s.detail ? ` (${s.detail})` : ''}`);
    return [[headline(total), ...lines, `  Lower pool sizes or replicas, cap pools with max_db_connections, or ${remedy}.`].join('\n')];
  }
}
