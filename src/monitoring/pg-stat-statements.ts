import { RecoverySetting } from '../backup/recovery-target';

/**
 * pg_stat_statements: per-statement execution statistics, the first place to look for slow
 * queries. Loading it needs a restart (`shared_preload_libraries`), then `CREATE EXTENSION` in
 * each database whose statements you want to query.
 */
export class PgStatStatements {
  /** Run once per database (idempotent). */
  public static readonly CREATE_EXTENSION_SQL = 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements';

  /**
   * postgresql.conf settings. Merge `shared_preload_libraries` with any libraries you already load.
   * @param max statements tracked (`pg_stat_statements.max`, default 10000)
   * @param trackAll also track statements inside functions (`track = all`, default true)
   */
  public static postgresSettings(max: number = 10000, trackAll: boolean = true): RecoverySetting[] {
    if (!Number.isInteger(max) || max < 100) throw new Error(`PgStatStatements: max got ${max}; expected an integer of at least 100`);
    return [
      { name: 'shared_preload_libraries', value: 'pg_stat_statements' },
      { name: 'pg_stat_statements.track', value: trackAll ? 'all' : 'top' },
      { name: 'pg_stat_statements.max', value: String(max) },
    ];
  }

  private constructor() {}
}
