/** A PostgreSQL setting with a unit: its base unit and range, in that unit. */
export interface UnitSetting {
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** A floating-point setting (not rounded to its unit). */
  readonly real?: boolean;
}

/**
 * Every settable PostgreSQL 15 parameter that takes a unit, with its base unit and range exactly
 * as the server reports them (`SELECT name, vartype, unit, min_val, max_val FROM pg_settings
 * WHERE unit IS NOT NULL AND context <> 'internal'` on postgresql-15). A value is converted to
 * the base unit, rounded (integers) and checked against the range, as the server does.
 * @see https://www.postgresql.org/docs/15/config-setting.html#CONFIG-SETTING-NAMES-VALUES
 */
export const UNIT_SETTINGS: { readonly [name: string]: UnitSetting } = {
  archive_timeout: { unit: 's', min: 0, max: 1073741823 },
  authentication_timeout: { unit: 's', min: 1, max: 600 },
  autovacuum_naptime: { unit: 's', min: 1, max: 2147483 },
  autovacuum_vacuum_cost_delay: { unit: 'ms', min: -1, max: 100, real: true },
  autovacuum_work_mem: { unit: 'kB', min: -1, max: 2147483647 },
  backend_flush_after: { unit: '8kB', min: 0, max: 256 },
  bgwriter_delay: { unit: 'ms', min: 10, max: 10000 },
  bgwriter_flush_after: { unit: '8kB', min: 0, max: 256 },
  checkpoint_flush_after: { unit: '8kB', min: 0, max: 256 },
  checkpoint_timeout: { unit: 's', min: 30, max: 86400 },
  checkpoint_warning: { unit: 's', min: 0, max: 2147483647 },
  client_connection_check_interval: { unit: 'ms', min: 0, max: 2147483647 },
  deadlock_timeout: { unit: 'ms', min: 1, max: 2147483647 },
  effective_cache_size: { unit: '8kB', min: 1, max: 2147483647 },
  gin_pending_list_limit: { unit: 'kB', min: 64, max: 2147483647 },
  huge_page_size: { unit: 'kB', min: 0, max: 2147483647 },
  idle_in_transaction_session_timeout: { unit: 'ms', min: 0, max: 2147483647 },
  idle_session_timeout: { unit: 'ms', min: 0, max: 2147483647 },
  lock_timeout: { unit: 'ms', min: 0, max: 2147483647 },
  log_autovacuum_min_duration: { unit: 'ms', min: -1, max: 2147483647 },
  log_min_duration_sample: { unit: 'ms', min: -1, max: 2147483647 },
  log_min_duration_statement: { unit: 'ms', min: -1, max: 2147483647 },
  log_parameter_max_length: { unit: 'B', min: -1, max: 1073741823 },
  log_parameter_max_length_on_error: { unit: 'B', min: -1, max: 1073741823 },
  log_rotation_age: { unit: 'min', min: 0, max: 35791394 },
  log_rotation_size: { unit: 'kB', min: 0, max: 2097151 },
  log_startup_progress_interval: { unit: 'ms', min: 0, max: 2147483647 },
  log_temp_files: { unit: 'kB', min: -1, max: 2147483647 },
  logical_decoding_work_mem: { unit: 'kB', min: 64, max: 2147483647 },
  maintenance_work_mem: { unit: 'kB', min: 1024, max: 2147483647 },
  max_slot_wal_keep_size: { unit: 'MB', min: -1, max: 2147483647 },
  max_stack_depth: { unit: 'kB', min: 100, max: 2147483647 },
  max_standby_archive_delay: { unit: 'ms', min: -1, max: 2147483647 },
  max_standby_streaming_delay: { unit: 'ms', min: -1, max: 2147483647 },
  max_wal_size: { unit: 'MB', min: 2, max: 2147483647 },
  min_dynamic_shared_memory: { unit: 'MB', min: 0, max: 2147483647 },
  min_parallel_index_scan_size: { unit: '8kB', min: 0, max: 715827882 },
  min_parallel_table_scan_size: { unit: '8kB', min: 0, max: 715827882 },
  min_wal_size: { unit: 'MB', min: 2, max: 2147483647 },
  old_snapshot_threshold: { unit: 'min', min: -1, max: 86400 },
  post_auth_delay: { unit: 's', min: 0, max: 2147 },
  pre_auth_delay: { unit: 's', min: 0, max: 60 },
  recovery_min_apply_delay: { unit: 'ms', min: 0, max: 2147483647 },
  shared_buffers: { unit: '8kB', min: 16, max: 1073741823 },
  statement_timeout: { unit: 'ms', min: 0, max: 2147483647 },
  tcp_keepalives_idle: { unit: 's', min: 0, max: 2147483647 },
  tcp_keepalives_interval: { unit: 's', min: 0, max: 2147483647 },
  tcp_user_timeout: { unit: 'ms', min: 0, max: 2147483647 },
  temp_buffers: { unit: '8kB', min: 100, max: 1073741823 },
  temp_file_limit: { unit: 'kB', min: -1, max: 2147483647 },
  track_activity_query_size: { unit: 'B', min: 100, max: 1048576 },
  vacuum_cost_delay: { unit: 'ms', min: 0, max: 100, real: true },
  wal_buffers: { unit: '8kB', min: -1, max: 262143 },
  wal_decode_buffer_size: { unit: 'B', min: 65536, max: 1073741823 },
  wal_keep_size: { unit: 'MB', min: 0, max: 2147483647 },
  wal_receiver_status_interval: { unit: 's', min: 0, max: 2147483 },
  wal_receiver_timeout: { unit: 'ms', min: 0, max: 2147483647 },
  wal_retrieve_retry_interval: { unit: 'ms', min: 1, max: 2147483647 },
  wal_sender_timeout: { unit: 'ms', min: 0, max: 2147483647 },
  wal_skip_threshold: { unit: 'kB', min: 0, max: 2147483647 },
  wal_writer_delay: { unit: 'ms', min: 1, max: 10000 },
  wal_writer_flush_after: { unit: '8kB', min: 0, max: 2147483647 },
  work_mem: { unit: 'kB', min: 64, max: 2147483647 },
};
