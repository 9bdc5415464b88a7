import { Duration } from 'cdk8s';
import { propError } from '../core/errors';
import { shellQuote } from '../core/shell';

const TABLE = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/**
 * A table or column name as SQL must see it: every part double-quoted, so `user` is the table
 * and not `current_user`, and `Orders` keeps its case (names are taken exactly as created).
 */
function quoteIdentifier(name: string): string {
  return name.split('.').map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
}

/** A SQL string literal. */
function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * One validation a restore test runs against the restored database.
 *
 * Names in checks:
 * - a table is `name` or `schema.name`, each part a letter or `_` followed by letters, digits,
 *   `_` or `$` (`orders`, `shop.Orders`); a column is one such part. The library double-quotes
 *   every part, so names are taken exactly as created: `Orders` is the table created as
 *   `"Orders"`, `orders` the one created unquoted, and `user` is a table, not `current_user`.
 *   Names that need quoting for other reasons (spaces, `-`, quotes) are refused.
 * - a `query` check has a name of its own (see `query`); its SQL is run as written, so quoting
 *   identifiers inside it is the SQL's business.
 */
export class RestoreCheck {
  /**
   * The table exists. Names are exact: `Orders` is the table created as `"Orders"`, `orders` the
   * one created unquoted; a schema-qualified name is `schema.table`.
   */
  public static tableExists(table: string): RestoreCheck {
    RestoreCheck.checkTable(table);
    const sql = `SELECT to_regclass(${sqlLiteral(quoteIdentifier(table))}) IS NOT NULL`;
    return new RestoreCheck(`table_exists_${table}`, [
      `if [ "$(q ${shellQuote(sql)})" != t ]; then fail ${shellQuote(`table ${table} is missing`)}; fi`,
    ]);
  }

  /** The table has at least `rows` rows; the count is reported. */
  public static minRows(table: string, rows: number): RestoreCheck {
    RestoreCheck.checkTable(table);
    if (!Number.isInteger(rows) || rows < 0) throw propError('RestoreCheck', 'minRows.rows', rows, 'an integer of at least 0');
    const sql = `SELECT count(*) FROM ${quoteIdentifier(table)}`;
    return new RestoreCheck(`min_rows_${table}`, [
      `if ! n=$(q ${shellQuote(sql)}); then fail ${shellQuote(`cannot count rows of ${table}`)};`,
      `else figure ${shellQuote(`${table}: `)}"$n rows"; if [ "$n" -lt ${rows} ]; then fail ${shellQuote(`${table} has `)}"$n"${shellQuote(` rows, expected at least ${rows}`)}; fi; fi`,
    ]);
  }

  /**
   * The newest value of a timestamp column is younger than `maxAge` at test time: catches backups
   * that stopped capturing new data. The newest value is reported.
   */
  public static freshness(table: string, column: string, maxAge: Duration = Duration.hours(48)): RestoreCheck {
    RestoreCheck.checkTable(table);
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(column ?? '')) throw propError('RestoreCheck', 'freshness.column', column, 'a column name');
    const seconds = maxAge.toSeconds();
    const t = quoteIdentifier(table);
    const c = quoteIdentifier(column);
    const latest = `SELECT COALESCE(max(${c})::text, 'none') FROM ${t}`;
    const age = `SELECT COALESCE(EXTRACT(EPOCH FROM now() - max(${c}))::bigint, -1) FROM ${t}`;
    const name = `${table}.${column}`;
    return new RestoreCheck(`freshness_${table}_${column}`, [
      `if ! latest=$(q ${shellQuote(latest)}) || ! age=$(q ${shellQuote(age)}); then`,
      `  fail ${shellQuote(`cannot read ${name}`)};`,
      `else figure ${shellQuote(`latest ${name}: `)}"$latest"; if [ "$age" -lt 0 ] || [ "$age" -gt ${seconds} ]; then fail ${shellQuote(`newest ${name} is `)}"$latest"${shellQuote(`, older than ${seconds}s`)}; fi; fi`,
    ]);
  }

  /**
   * `sql` returns exactly `expected` (psql unaligned, tuples only: one row of one column is the
   * bare value, e.g. `3` or `t`).
   *
   * `name` labels the check in reports (`<name>: <value>`, `query <name> failed`) and becomes the
   * check's `id` (`query_<name>`); it is not an SQL identifier. It is a lower-case letter
   * followed by lower-case letters, digits and `_` (`currency_count`, `orders_2026`); anything
   * else (`Currency`, `orders-count`, `1st`, a space) is refused. `sql` is one line, run verbatim
   * in the checked database: quote identifiers in it as PostgreSQL needs (`"Orders"`).
   * `expected` is one line, compared as text.
   */
  public static query(name: string, sql: string, expected: string): RestoreCheck {
    if (!/^[a-z][a-z0-9_]*$/.test(name ?? '')) {
      throw propError('RestoreCheck', 'query.name', name, 'a lower-case letter, then lower-case letters, digits and "_" (e.g. "currency_count"): the name labels reports and is not SQL');
    }
    if (!sql || sql.trim() === '' || /[\r\n\0]/.test(sql)) throw propError('RestoreCheck', `query(${name}).sql`, sql, 'a single-line SQL query');
    if (typeof expected !== 'string' || /[\r\n\0]/.test(expected)) throw propError('RestoreCheck', `query(${name}).expected`, expected, 'a single-line value');
    return new RestoreCheck(`query_${name}`, [
      `if ! v=$(q ${shellQuote(sql)}); then fail ${shellQuote(`query ${name} failed`)};`,
      `elif [ "$v" != ${shellQuote(expected)} ]; then fail ${shellQuote(`query ${name} returned `)}"'$v'"${shellQuote(`, expected '${expected}'`)}; else figure ${shellQuote(`${name}: `)}"$v"; fi`,
    ]);
  }

  /**
   * amcheck over every user table and B-tree index: `verify_heapam` finds damaged heap pages,
   * `bt_index_check` with heapallindexed finds index entries that do not match the table.
   */
  public static integrity(): RestoreCheck {
    const user = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";
    const heap = `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL verify_heapam(c.oid) WHERE c.relkind IN ('r', 'm') AND ${user}`;
    const btree = `SELECT count(bt_index_check(c.oid, true)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace WHERE am.amname = 'btree' AND ${user}`;
    return new RestoreCheck('integrity', [
      'if ! q "CREATE EXTENSION IF NOT EXISTS amcheck" > /dev/null; then fail "amcheck is not available";',
      `elif ! bad=$(q ${shellQuote(heap)}); then fail "verify_heapam failed";`,
      'elif [ "$bad" -ne 0 ]; then fail "verify_heapam found $bad damaged tuples or pages";',
      `elif ! q ${shellQuote(btree)} > /dev/null; then`,
      '  fail "bt_index_check found an index that does not match its table";',
      'else figure "amcheck: no corruption"; fi',
    ]);
  }

  private static checkTable(table: string): void {
    if (!TABLE.test(table ?? '')) throw propError('RestoreCheck', 'table', table, 'a table name, optionally schema-qualified ("orders", "shop.orders", "Orders" for a table created as "Orders")');
  }

  private constructor(
    /** Identifier of the check. */
    public readonly id: string,
    /** @internal bash lines, run with the helpers `q`, `fail` and `figure` in scope */
    public readonly _bash: string[],
  ) {}
}
