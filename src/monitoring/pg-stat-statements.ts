import { propError } from '../core/errors';
import { PostgresSetting } from '../core/postgres-config';

/** Options of `PgStatStatements.postgresSettings()`. */
export interface PgStatStatementsOptions {
  /**
   * Statements tracked (`pg_stat_statements.max`); the least used are evicted beyond it.
   * @default 10000
   */
  readonly max?: number;
  /**
   * Also track statements run inside functions (`pg_stat_statements.track = all`, rather than
   * `top`).
   * @default true
   */
  readonly trackAll?: boolean;
}

/**
 * pg_stat_statements: per-statement execution statistics, the first place to look for slow
 * queries. Loading it needs a restart (`shared_preload_libraries`), then `CREATE EXTENSION` in
 * each database whose statements you want to query.
 */
export class PgStatStatements {
  /** Run once per database (idempotent). */
  public static readonly CREATE_EXTENSION_SQL = 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements';

  /**
   * The postgresql.conf settings that load and configure the extension (for `PostgresConfig`).
   * Merge `shared_preload_libraries` with any libraries you already load.
   */
  public static postgresSettings(options: PgStatStatementsOptions = {}): PostgresSetting[] {
    const max = options.max ?? 10000;
    if (!Number.isInteger(max) || max < 100) throw propError('PgStatStatements', 'max', max, 'an integer of at least 100');
    return [
      { name: 'shared_preload_libraries', value: 'pg_stat_statements' },
      { name: 'pg_stat_statements.track', value: (options.trackAll ?? true) ? 'all' : 'top' },
      { name: 'pg_stat_statements.max', value: String(max) },
    ];
  }

  private constructor() {}
}
