import { Duration } from 'cdk8s';
import type { PatroniAlertOptions } from '../alert-options';
import { AlertRule, Severity } from '../alert-rule';

/**
 * Alerts on Patroni's own REST metrics (`GET /metrics` on port 8008, Patroni 3.0 names), grouped
 * by Patroni's `scope` label: one cluster's members are compared with each other only.
 */
export function patroniRules(o: PatroniAlertOptions): AlertRule[] {
  const lagBytes = o.maxLagBytes ? o.maxLagBytes.toKibibytes() * 1024 : 16 * 1024 * 1024;
  return [
    {
      name: 'PatroniNoLeader',
      expr: 'max by (scope) (patroni_cluster_unlocked) > 0',
      pendingFor: Duration.minutes(1),
      severity: Severity.CRITICAL,
      summary: 'Patroni cluster {{ $labels.scope }} has no leader',
      description: 'No member holds the leader lock: the cluster takes no writes. Members may be down, or none may be allowed to promote (lag, nofailover, no sync standby).',
    },
    {
      name: 'PatroniMultiplePrimaries',
      expr: 'sum by (scope) (patroni_primary) > 1',
      severity: Severity.CRITICAL,
      summary: '{{ $value }} members of Patroni cluster {{ $labels.scope }} report the primary role',
      description: 'Two members run as primary at once (split brain): writes to the one that lost the lock will be lost when it rejoins.',
    },
    {
      name: 'PatroniLeaderChanged',
      expr: 'max by (scope) (changes(patroni_postgres_timeline[10m])) > 0',
      severity: Severity.WARNING,
      summary: 'Patroni cluster {{ $labels.scope }} changed leader in the last 10 minutes',
      description: 'A failover or switchover promoted a new primary (the timeline advanced). Expected after a planned switchover; otherwise find out why the old leader lost its lock.',
    },
    {
      name: 'PatroniMemberLagging',
      expr: `max by (scope) (patroni_xlog_location) - on (scope) group_right () patroni_xlog_replayed_location > ${lagBytes}`,
      pendingFor: Duration.minutes(5),
      severity: Severity.WARNING,
      summary: 'Patroni member {{ $labels.instance }} of {{ $labels.scope }} has {{ $value | humanize1024 }}B of WAL left to replay',
      description: 'A replica lags behind the leader: it cannot be promoted beyond maximum_lag_on_failover, and in synchronous mode a lagging sync standby slows every commit.',
    },
    {
      name: 'PatroniFailsafeActive',
      expr: 'max by (scope) (patroni_failsafe_mode_is_active) > 0',
      pendingFor: Duration.minutes(1),
      severity: Severity.WARNING,
      summary: 'Patroni cluster {{ $labels.scope }} runs in failsafe mode: its DCS is unreachable',
      description: 'The leader keeps its role only because every member still answers it; no failover can happen until the DCS is back.',
    },
  ];
}
