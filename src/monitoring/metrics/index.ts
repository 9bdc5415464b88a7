/**
 * The metric names each source the alert catalog reads exports, so a misspelled metric in a
 * catalog expression fails a unit test instead of making an alert that can never fire.
 * Internal: not re-exported from the library.
 */
import { CLOUDNATIVE_PG_METRICS } from './cloudnative-pg';
import { KUBE_STATE_METRICS } from './kube-state-metrics';
import { PGBOUNCER_EXPORTER_METRICS } from './pgbouncer-exporter';
import { POSTGRES_EXPORTER_METRICS } from './postgres-exporter';

export type MetricSourceId = 'postgres_exporter' | 'cnpg' | 'barman-cloud' | 'pgbouncer_exporter' | 'kube-state-metrics' | 'restore-test';

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
};
