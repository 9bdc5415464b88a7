/**
 * The metric names each source the alert catalog reads exports, so a misspelled metric in a
 * catalog expression fails a unit test instead of making an alert that can never fire.
 * Internal: not re-exported from the library.
 */
import { CLOUDNATIVE_PG_METRICS } from './cloudnative-pg';
import { KUBE_STATE_METRICS } from './kube-state-metrics';
import { PGBOUNCER_EXPORTER_METRICS } from './pgbouncer-exporter';
import { PGPOOL2_EXPORTER_METRICS } from './pgpool2-exporter';
import { POSTGRES_EXPORTER_METRICS } from './postgres-exporter';

export type MetricSourceId = 'postgres_exporter' | 'cnpg' | 'barman-cloud' | 'pgbouncer_exporter' | 'kube-state-metrics' | 'restore-test' | 'patroni' | 'pgpool2_exporter';

/** Patroni 3.0's REST `GET /metrics` (patroni/api.py, do_GET_metrics), every series labelled `scope`. */
const PATRONI_METRICS = [
  'patroni_cluster_unlocked', 'patroni_dcs_last_seen', 'patroni_failsafe_mode_is_active', 'patroni_is_paused', 'patroni_master',
  'patroni_pending_restart', 'patroni_postgres_running', 'patroni_postgres_server_version', 'patroni_postgres_timeline',
  'patroni_postmaster_start_time', 'patroni_primary', 'patroni_replica', 'patroni_standby_leader', 'patroni_sync_standby', 'patroni_version',
  'patroni_xlog_location', 'patroni_xlog_paused', 'patroni_xlog_received_location', 'patroni_xlog_replayed_location', 'patroni_xlog_replayed_timestamp',
];

/**
 * The barman-cloud plugin's metrics, exported through the CloudNativePG instance's exporter
 * (plugin-barman-cloud documentation, "Observability").
 */
const BARMAN_CLOUD_METRICS = [
  'barman_cloud_cloudnative_pg_io_first_recoverability_point',
  'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
  'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp',
];

/** What the library's restore tests push (src/core/restore-check-script.ts writes them). */
const RESTORE_TEST_METRICS = ['pgrel_restore_test_duration_seconds', 'pgrel_restore_test_last_success_timestamp_seconds', 'pgrel_restore_test_success'];

export const METRICS: Readonly<Record<MetricSourceId, readonly string[]>> = {
  'postgres_exporter': POSTGRES_EXPORTER_METRICS,
  'cnpg': CLOUDNATIVE_PG_METRICS,
  'barman-cloud': BARMAN_CLOUD_METRICS,
  'pgbouncer_exporter': PGBOUNCER_EXPORTER_METRICS,
  'kube-state-metrics': KUBE_STATE_METRICS,
  'restore-test': RESTORE_TEST_METRICS,
  'patroni': PATRONI_METRICS,
  'pgpool2_exporter': PGPOOL2_EXPORTER_METRICS,
};
