/** How postgres_exporter treats a result column. */
export class ColumnUsage {
  /** A label on the other columns' metrics. */
  public static readonly LABEL = new ColumnUsage('LABEL');
  public static readonly GAUGE = new ColumnUsage('GAUGE');
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
  readonly usage: ColumnUsage;
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
  readonly columns: QueryColumn[];
  /**
   * Run only against the database in the exporter's connection string (`master: true`), not
   * every database it discovers.
   * @default true
   */
  readonly primaryDatabaseOnly?: boolean;
}
