import { Duration } from 'cdk8s';
import type { ConnectionAlertOptions, QueryAlertOptions } from '../alert-options';
import { AlertRule, MetricSource, Severity } from '../alert-rule';

export function connectionRules(o: ConnectionAlertOptions & { warningRatio: number; criticalRatio: number }): AlertRule[] {
  // Summed over the per-connection labels only, and divided with group_left, so that the
  // target's own labels (cluster, namespace, pod, job) reach the alert for routing.
  const usage = o.source === MetricSource.CNPG
    ? 'sum without (datname, usename, application_name, state) (cnpg_backends_total) / on (instance) group_left () (max by (instance) (cnpg_pg_settings_setting{name="max_connections"}) - max by (instance) (cnpg_pg_settings_setting{name="superuser_reserved_connections"}))'
    : 'sum without (state) (pg_connection_count_count) / on (instance) group_left () (max by (instance) (pg_settings_max_connections) - max by (instance) (pg_settings_superuser_reserved_connections))';
  const rule = (name: string, ratio: number, severity: Severity): AlertRule => ({
    name,
    expr: `${usage} > ${ratio}`,
    pendingFor: Duration.minutes(5),
    severity,
    summary: '{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its connections',
    description: `Client connections exceed ${ratio * 100}% of max_connections minus the reserved slots; new clients will soon be refused with "too many clients".`,
  });
  return [rule('PostgresConnectionsHigh', o.warningRatio, Severity.WARNING), rule('PostgresConnectionsExhausted', o.criticalRatio, Severity.CRITICAL)];
}

export function queryRules(o: QueryAlertOptions): AlertRule[] {
  const query = (o.maxQueryDuration ?? Duration.seconds(60)).toSeconds();
  const xact = (o.maxTransactionDuration ?? Duration.minutes(10)).toSeconds();
  const idle = (o.maxIdleInTransaction ?? Duration.minutes(5)).toSeconds();
  return [
    {
      name: 'PostgresLongRunningQuery',
      expr: `pg_activity_age_max_query_seconds > ${query}`,
      pendingFor: Duration.minutes(1),
      severity: Severity.WARNING,
      summary: 'A query on {{ $labels.instance }} has run for {{ $value | humanizeDuration }}',
      description: `A query has been active for more than ${query}s. Long queries hold locks and snapshots, delay vacuum and tie up connections.`,
    },
    {
      name: 'PostgresLongTransaction',
      expr: `pg_activity_age_max_transaction_seconds > ${xact}`,
      pendingFor: Duration.minutes(1),
      severity: Severity.WARNING,
      summary: 'A transaction on {{ $labels.instance }} has been open for {{ $value | humanizeDuration }}',
      description: `A transaction has been open for more than ${xact}s; vacuum cannot remove rows it might still see, so tables bloat.`,
    },
    {
      name: 'PostgresIdleInTransaction',
      expr: `pg_activity_age_max_idle_in_transaction_seconds > ${idle}`,
      pendingFor: Duration.minutes(1),
      severity: Severity.WARNING,
      summary: 'A session on {{ $labels.instance }} is idle in a transaction for {{ $value | humanizeDuration }}',
      description: 'An application opened a transaction and stopped talking: it holds its locks and snapshot until it commits or is killed.',
    },
    {
      name: 'PostgresLockWaits',
      expr: `pg_lock_waits_waiting > ${o.maxLockWaiters ?? 5}`,
      pendingFor: Duration.minutes(5),
      severity: Severity.WARNING,
      summary: '{{ $value }} sessions on {{ $labels.instance }} wait for locks',
      description: 'Sessions queue behind a lock holder (often a migration or a long transaction); requests time out behind them.',
    },
  ];
}
