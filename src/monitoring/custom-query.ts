/** How postgres_exporter treats a result column. */
export class ColumnUsage {
  /** A label on the other columns' metrics. */
  public static readonly LABEL = new ColumnUsage('LABEL');
  /** A metric whose value goes up and down (a size, a count of sessions). */
  public static readonly GAUGE = new ColumnUsage('GAUGE');
  /** A metric that only grows, reset when the server restarts (calls, archived WAL files). */
  public static readonly COUNTER = new ColumnUsage('COUNTER');
  /** Ignored. */
  public static readonly DISCARD = new ColumnUsage('DISCARD');

  private constructor(
    /** The `usage` value in queries.yaml. */
    public readonly value: string,
  ) {}
}

/** One result column of a custom query. */
export interface QueryColumn {
  /** Column name as the query returns it; metrics are named `<query>_<column>`. */
  readonly name: string;
  /** How postgres_exporter treats the column: a label, a gauge, a counter, or ignored. */
  readonly usage: ColumnUsage;
  /** The metric's help text (`# HELP`), or the label's description. */
  readonly description: string;
}

/**
 * A custom postgres_exporter query. The exporter publishes each GAUGE or COUNTER column as a
 * metric named `<name>_<column>`, labelled by the LABEL columns.
 */
export interface CustomQuery {
  /** Metric name prefix, e.g. `pg_connection_count` gives `pg_connection_count_count`. */
  readonly name: string;
  /** The SQL; it runs on every scrape, so keep it cheap. */
  readonly sql: string;
  /** The result columns, in the query's order; at least one GAUGE or COUNTER. */
  readonly columns: QueryColumn[];
  /**
   * Run only against the database in the exporter's connection string (`master: true`), not
   * every database it discovers.
   * @default true
   */
  readonly primaryDatabaseOnly?: boolean;
}
