import { Duration } from 'cdk8s';
import type { PoolingAlertOptions } from '../alert-options';
import { AlertRule, Severity } from '../alert-rule';

export function poolingRules(o: PoolingAlertOptions): AlertRule[] {
  return [
    {
      name: 'PgBouncerClientsWaiting',
      expr: `pgbouncer_pools_client_waiting_connections > ${o.maxWaitingClients ?? 10}`,
      pendingFor: Duration.minutes(2),
      severity: Severity.WARNING,
      summary: '{{ $value }} clients wait for a server connection in pool {{ $labels.database }}/{{ $labels.user }}',
      description: 'The pool is too small for the load, or server connections are held by slow queries.',
    },
    {
      name: 'PgBouncerMaxWaitHigh',
      expr: `pgbouncer_pools_client_maxwait_seconds > ${(o.maxWait ?? Duration.seconds(5)).toSeconds()}`,
      pendingFor: Duration.minutes(2),
      severity: Severity.WARNING,
      summary: 'A client waited {{ $value | humanizeDuration }} for a server connection in {{ $labels.database }}',
      description: 'Clients queue in PgBouncer; request latency includes this wait.',
    },
  ];
}
