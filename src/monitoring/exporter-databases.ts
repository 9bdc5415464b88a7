import { propError } from '../core/errors';

/**
 * Which databases postgres_exporter runs its per-database queries in (those with
 * `primaryDatabaseOnly: false`, such as the dead-tuple query). Queries over the whole server run
 * once, in the connection's database.
 * @see https://github.com/prometheus-community/postgres_exporter#flags
 */
export class ExporterDatabases {
  /** Every database the monitoring user can connect to, found on each scrape (`--auto-discover-databases`). */
  public static readonly ALL = new ExporterDatabases(['--auto-discover-databases']);

  /** Only the connection's database: tables of other databases are not seen. */
  public static readonly CONNECTION_ONLY = new ExporterDatabases([]);

  /** These databases (and the connection's), e.g. `["app"]` (`--include-databases`). */
  public static only(names: string[]): ExporterDatabases {
    if (!Array.isArray(names) || names.length === 0) throw propError('ExporterDatabases', 'only', names, 'at least one database name');
    for (const name of names) {
      // The flag is a comma-separated list: a comma or a line break would split or break it.
      if (typeof name !== 'string' || name === '' || /[,\s]/.test(name) || name.length > 63) {
        throw propError('ExporterDatabases', 'only', name, 'a database name of 1 to 63 characters without commas or whitespace');
      }
    }
    return new ExporterDatabases(['--auto-discover-databases', `--include-databases=${names.join(',')}`]);
  }

  private constructor(
    /** The exporter's command-line flags for this choice. */
    public readonly args: string[],
  ) {}
}
