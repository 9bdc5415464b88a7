import { Duration } from 'cdk8s';
import { ColumnUsage, CustomQuery } from './custom-query';

const gauge = (name: string, description: string) => ({ name, usage: ColumnUsage.GAUGE, description });
const counter = (name: string, description: string) => ({ name, usage: ColumnUsage.COUNTER, description });
const label = (name: string, description: string) => ({ name, usage: ColumnUsage.LABEL, description });

/** A WAL position that works on a primary and on a standby alike. */
const CURRENT_LSN = 'CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END';

/** Options of `ExporterQueries.topStatements`. */
export interface TopStatementsOptions {
  /**
   * Also export the first 80 characters of each statement as a `query` label. Risky:
   * pg_stat_statements replaces constants only in planned statements (SELECT, INSERT, ...);
   * utility statements keep their literals, so `ALTER ROLE app PASSWORD '...'` would reach
   * Prometheus, its storage and everyone who can query it. Label values of every distinct text
   * also add series.
   * @default false
   * @see https://www.postgresql.org/docs/15/pgstatstatements.html
   */
  readonly exportQueryText?: boolean;
}

/**
 * The library's custom postgres_exporter queries. The alert catalog's postgres_exporter rules
 * are written against exactly these metric names.
 */
export class ExporterQueries {
  /** `pg_slow_queries_count`: active queries running longer than `threshold`. */
  public static slowQueries(threshold: Duration = Duration.seconds(30)): CustomQuery {
    return {
      name: 'pg_slow_queries',
      sql: `SELECT count(*) AS count FROM pg_stat_activity WHERE state = 'active' AND now() - query_start > interval '${threshold.toSeconds()} seconds'`,
      columns: [gauge('count', `Queries active for more than ${threshold.toSeconds()} seconds`)],
    };
  }

  /** `pg_connection_count_count{state}`: client connections by state. */
  public static connectionsByState(): CustomQuery {
    return {
      name: 'pg_connection_count',
      sql: "SELECT COALESCE(state, 'unknown') AS state, count(*) AS count FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1",
      columns: [label('state', 'Connection state'), gauge('count', 'Client connections in this state')],
    };
  }

  /** `pg_database_size_size_bytes{datname}`. */
  public static databaseSize(): CustomQuery {
    return {
      name: 'pg_database_size',
      sql: 'SELECT datname, pg_database_size(datname) AS size_bytes FROM pg_database WHERE NOT datistemplate',
      columns: [label('datname', 'Database name'), gauge('size_bytes', 'Database size in bytes')],
    };
  }

  /** `pg_recovery_in_recovery`: 1 on a standby, 0 on a primary. */
  public static recovery(): CustomQuery {
    return {
      name: 'pg_recovery',
      sql: 'SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END AS in_recovery',
      columns: [gauge('in_recovery', '1 when the server is a standby')],
    };
  }

  /** `pg_replica_lag_seconds` and `pg_replica_lag_replay_bytes` on standbys (0 on a primary). */
  public static replicaLag(): CustomQuery {
    return {
      name: 'pg_replica_lag',
      sql: [
        'SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0',
        '  ELSE GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())) END AS seconds,',
        '  CASE WHEN pg_is_in_recovery() THEN COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0) ELSE 0 END AS replay_bytes',
      ].join('\n'),
      columns: [
        gauge('seconds', 'Seconds since the last replayed transaction while WAL is pending'),
        gauge('replay_bytes', 'WAL received but not yet replayed'),
      ],
    };
  }

  /** `pg_wal_receiver_streaming`: 1 when a standby streams from its upstream (always 1 on a primary). */
  public static walReceiver(): CustomQuery {
    return {
      name: 'pg_wal_receiver',
      sql: "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 1 ELSE (SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming') END AS streaming",
      columns: [gauge('streaming', '1 when WAL is streaming (or the server is a primary)')],
    };
  }

  /** `pg_replication_client_lag_bytes{application_name}` seen from the primary. */
  public static replicationClients(): CustomQuery {
    return {
      name: 'pg_replication_client',
      sql: `SELECT application_name, COALESCE(pg_wal_lsn_diff(${CURRENT_LSN}, replay_lsn), 0) AS lag_bytes FROM pg_stat_replication`,
      columns: [label('application_name', 'Standby name'), gauge('lag_bytes', 'WAL not yet replayed by this standby')],
    };
  }

  /** `pg_replication_slot_inactive{slot_name}` and `pg_replication_slot_retained_bytes`. */
  public static replicationSlots(): CustomQuery {
    return {
      name: 'pg_replication_slot',
      sql: `SELECT slot_name, CASE WHEN active THEN 0 ELSE 1 END AS inactive, COALESCE(pg_wal_lsn_diff(${CURRENT_LSN}, restart_lsn), 0) AS retained_bytes FROM pg_replication_slots`,
      columns: [label('slot_name', 'Slot'), gauge('inactive', '1 when nothing consumes the slot'), gauge('retained_bytes', 'WAL kept for the slot')],
    };
  }

  /** `pg_activity_age_*`: oldest active query, oldest transaction, longest idle-in-transaction. */
  public static activityAge(): CustomQuery {
    return {
      name: 'pg_activity_age',
      sql: [
        "SELECT COALESCE(max(EXTRACT(EPOCH FROM now() - query_start)) FILTER (WHERE state = 'active'), 0) AS max_query_seconds,",
        '  COALESCE(max(EXTRACT(EPOCH FROM now() - xact_start)), 0) AS max_transaction_seconds,',
        "  COALESCE(max(EXTRACT(EPOCH FROM now() - state_change)) FILTER (WHERE state LIKE 'idle in transaction%'), 0) AS max_idle_in_transaction_seconds",
        "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
      ].join('\n'),
      columns: [
        gauge('max_query_seconds', 'Age of the oldest running query'),
        gauge('max_transaction_seconds', 'Age of the oldest open transaction'),
        gauge('max_idle_in_transaction_seconds', 'Longest time a session has sat idle inside a transaction'),
      ],
    };
  }

  /** `pg_lock_waits_waiting`: sessions waiting on a lock. */
  public static lockWaits(): CustomQuery {
    return {
      name: 'pg_lock_waits',
      sql: "SELECT count(*) AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
      columns: [gauge('waiting', 'Sessions waiting for a lock')],
    };
  }

  /** `pg_archiver_*`: WAL archiving health. */
  public static archiver(): CustomQuery {
    return {
      name: 'pg_archiver',
      // failing: whether the newest archive_command run failed. A failure count alone cannot tell
      // a run that keeps failing from one that failed once and has archived since.
      sql: 'SELECT archived_count, failed_count, COALESCE(EXTRACT(EPOCH FROM now() - last_archived_time), -1) AS last_archive_age_seconds, '
        + "(COALESCE(last_failed_time > COALESCE(last_archived_time, '-infinity'), false))::int AS failing FROM pg_stat_archiver",
      columns: [
        counter('archived_count', 'WAL files archived'),
        counter('failed_count', 'Failed archive_command runs'),
        gauge('last_archive_age_seconds', 'Seconds since the last successful archive (-1: never)'),
        gauge('failing', '1 while the newest archive_command run failed (until a segment is archived)'),
      ],
    };
  }

  /** `pg_database_xid_age{datname}`: transaction ID age, for wraparound. */
  public static xidAge(): CustomQuery {
    return {
      name: 'pg_database_xid',
      sql: 'SELECT datname, age(datfrozenxid) AS age FROM pg_database WHERE datallowconn',
      columns: [label('datname', 'Database name'), gauge('age', 'Transactions since the oldest unfrozen XID')],
    };
  }

  /**
   * `pg_table_tuples_live` and `pg_table_tuples_dead{datname,schemaname,relname}` per user table
   * (for bloat and autovacuum). pg_stat_user_tables shows only the current database's tables, so
   * this runs in every database the exporter covers (`PostgresExporterProps.databases`).
   */
  public static tableTuples(): CustomQuery {
    return {
      name: 'pg_table_tuples',
      sql: 'SELECT current_database() AS datname, schemaname, relname, n_live_tup AS live, n_dead_tup AS dead FROM pg_stat_user_tables',
      columns: [label('datname', 'Database'), label('schemaname', 'Schema'), label('relname', 'Table'), gauge('live', 'Estimated live rows'), gauge('dead', 'Estimated dead rows')],
      primaryDatabaseOnly: false,
    };
  }

  /**
   * `pg_statements_top_*{queryid, usename, datname}`: the `limit` statements with the most total time
   * (pg_stat_statements). Look a `queryid` up in `pg_stat_statements` on the server; its text is
   * not exported unless `options.exportQueryText` says so.
   */
  public static topStatements(limit: number = 10, options: TopStatementsOptions = {}): CustomQuery {
    const text = options.exportQueryText === true;
    return {
      name: 'pg_statements_top',
      // pg_stat_statements keeps a row per user, database, queryid and top-level flag: one series
      // per queryid alone would repeat label values, and postgres_exporter then fails the whole
      // scrape. Rows are summed per queryid, user and database.
      sql: [
        `SELECT s.queryid::text AS queryid, r.rolname AS usename, d.datname AS datname,${text ? ' left(max(s.query), 80) AS query,' : ''}`,
        '  sum(s.calls) AS calls, sum(s.total_exec_time) / 1000 AS total_seconds,',
        '  sum(s.total_exec_time) / nullif(sum(s.calls), 0) / 1000 AS mean_seconds, sum(s.rows) AS rows',
        'FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid JOIN pg_database d ON d.oid = s.dbid',
        'WHERE s.queryid IS NOT NULL',
        `GROUP BY s.queryid, r.rolname, d.datname ORDER BY sum(s.total_exec_time) DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      ].join('\n'),
      columns: [
        label('queryid', 'pg_stat_statements query id'),
        label('usename', 'The user who ran the statement'),
        label('datname', 'The database it ran in'),
        ...(text ? [label('query', 'First 80 characters of the statement text')] : []),
        counter('calls', 'Executions'),
        counter('total_seconds', 'Total execution time'),
        gauge('mean_seconds', 'Mean execution time'),
        counter('rows', 'Rows returned or affected'),
      ],
    };
  }

  /** The default set: the three everyone starts with plus replication, activity, archiving, XID and statements. */
  public static defaults(): CustomQuery[] {
    return [
      ExporterQueries.slowQueries(),
      ExporterQueries.connectionsByState(),
      ExporterQueries.databaseSize(),
      ExporterQueries.recovery(),
      ExporterQueries.replicaLag(),
      ExporterQueries.walReceiver(),
      ExporterQueries.replicationClients(),
      ExporterQueries.replicationSlots(),
      ExporterQueries.activityAge(),
      ExporterQueries.lockWaits(),
      ExporterQueries.archiver(),
      ExporterQueries.xidAge(),
      ExporterQueries.tableTuples(),
      ExporterQueries.topStatements(),
    ];
  }

  private constructor() {}
}
