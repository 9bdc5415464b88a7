import { Duration } from 'cdk8s';
import { propError } from '../core/errors';
import { shellQuote } from '../core/shell';

const TABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** One validation a restore test runs against the restored database. */
export class RestoreCheck {
  /** The table exists. */
  public static tableExists(table: string): RestoreCheck {
    RestoreCheck.checkTable(table);
    return new RestoreCheck(`table_exists_${table}`, [
      `if [ "$(q "SELECT to_regclass('${table}') IS NOT NULL")" != t ]; then fail "table ${table} is missing"; fi`,
    ]);
  }

  /** The table has at least `rows` rows; the count is reported. */
  public static minRows(table: string, rows: number): RestoreCheck {
    RestoreCheck.checkTable(table);
    if (!Number.isInteger(rows) || rows < 0) throw propError('RestoreCheck', 'minRows.rows', rows, 'an integer of at least 0');
    return new RestoreCheck(`min_rows_${table}`, [
      `if ! n=$(q "SELECT count(*) FROM ${table}"); then fail "cannot count rows of ${table}";`,
      `else figure "${table}: $n rows"; if [ "$n" -lt ${rows} ]; then fail "${table} has $n rows, expected at least ${rows}"; fi; fi`,
    ]);
  }

  /**
   * The newest value of a timestamp column is younger than `maxAge` at test time: catches backups
   * that stopped capturing new data. The newest value is reported.
   */
  public static freshness(table: string, column: string, maxAge: Duration = Duration.hours(48)): RestoreCheck {
    RestoreCheck.checkTable(table);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) throw propError('RestoreCheck', 'freshness.column', column, 'a column name');
    const seconds = maxAge.toSeconds();
    return new RestoreCheck(`freshness_${table}_${column}`, [
      `if ! latest=$(q "SELECT COALESCE(max(${column})::text, 'none') FROM ${table}") || ! age=$(q "SELECT COALESCE(EXTRACT(EPOCH FROM now() - max(${column}))::bigint, -1) FROM ${table}"); then`,
      `  fail "cannot read ${table}.${column}";`,
      `else figure "latest ${table}.${column}: $latest"; if [ "$age" -lt 0 ] || [ "$age" -gt ${seconds} ]; then fail "newest ${table}.${column} is $latest, older than ${seconds}s"; fi; fi`,
    ]);
  }

  /** `sql` returns exactly `expected` (psql unaligned, tuples only). */
  public static query(name: string, sql: string, expected: string): RestoreCheck {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw propError('RestoreCheck', 'query.name', name, 'lower-case words joined by "_"');
    if (!sql || sql.trim() === '' || /[\r\n\0]/.test(sql)) throw propError('RestoreCheck', `query(${name}).sql`, sql, 'a single-line SQL query');
    if (/[\r\n\0]/.test(expected)) throw propError('RestoreCheck', `query(${name}).expected`, expected, 'a single-line value');
    return new RestoreCheck(`query_${name}`, [
      `if ! v=$(q ${shellQuote(sql)}); then fail "query ${name} failed";`,
      `elif [ "$v" != ${shellQuote(expected)} ]; then fail "query ${name} returned '$v', expected '${expected.replace(/['"\\$`]/g, '')}'"; else figure "${name}: $v"; fi`,
    ]);
  }

  /**
   * amcheck over every user table and B-tree index: `verify_heapam` finds damaged heap pages,
   * `bt_index_check` with heapallindexed finds index entries that do not match the table.
   */
  public static integrity(): RestoreCheck {
    const user = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";
    return new RestoreCheck('integrity', [
      'if ! q "CREATE EXTENSION IF NOT EXISTS amcheck" > /dev/null; then fail "amcheck is not available";',
      `elif ! bad=$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL verify_heapam(c.oid) WHERE c.relkind IN ('r', 'm') AND ${user}"); then fail "verify_heapam failed";`,
      'elif [ "$bad" -ne 0 ]; then fail "verify_heapam found $bad damaged tuples or pages";',
      `elif ! q "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace WHERE am.amname = 'btree' AND ${user}" > /dev/null; then`,
      '  fail "bt_index_check found an index that does not match its table";',
      'else figure "amcheck: no corruption"; fi',
    ]);
  }

  private static checkTable(table: string): void {
    if (!TABLE.test(table ?? '')) throw propError('RestoreCheck', 'table', table, 'a table name, optionally schema-qualified ("orders", "shop.orders")');
  }

  private constructor(
    /** Identifier of the check. */
    public readonly id: string,
    /** @internal bash lines, run with the helpers `q`, `fail` and `figure` in scope */
    public readonly _bash: string[],
  ) {}
}
