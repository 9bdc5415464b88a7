/**
 * Metric names pgpool/pgpool2_exporter exports (pgpool2_exporter.go: the `metricMaps` columns
 * named `pgpool2_<SHOW command>_<column>`, plus the exporter's own gauges). Not installed here:
 * Debian has no package of it, so the list is read from upstream source, not from a scrape.
 * `pgpool2_pool_nodes_status` is 1 for a node `up` or `waiting`, 0 for `down` or `unused`.
 * @see https://github.com/pgpool/pgpool2_exporter
 */
export const PGPOOL2_EXPORTER_METRICS: readonly string[] = [
  'pgpool2_backend_by_process_total',
  'pgpool2_backend_by_process_used',
  'pgpool2_backend_by_process_used_ratio',
  'pgpool2_backend_total',
  'pgpool2_backend_used',
  'pgpool2_backend_used_ratio',
  'pgpool2_frontend_total',
  'pgpool2_frontend_used',
  'pgpool2_frontend_used_ratio',
  'pgpool2_last_scrape_duration_seconds',
  'pgpool2_last_scrape_error',
  'pgpool2_pool_backend_stats_ddl_cnt',
  'pgpool2_pool_backend_stats_delete_cnt',
  'pgpool2_pool_backend_stats_error_cnt',
  'pgpool2_pool_backend_stats_fatal_cnt',
  'pgpool2_pool_backend_stats_insert_cnt',
  'pgpool2_pool_backend_stats_other_cnt',
  'pgpool2_pool_backend_stats_panic_cnt',
  'pgpool2_pool_backend_stats_select_cnt',
  'pgpool2_pool_backend_stats_status',
  'pgpool2_pool_backend_stats_update_cnt',
  'pgpool2_pool_nodes_replication_delay',
  'pgpool2_pool_nodes_select_cnt',
  'pgpool2_pool_nodes_status',
  'pgpool2_scrapes_total',
  'pgpool2_up',
  'pgpool2_version',
];
