import { Duration, Size } from 'cdk8s';
import type { ReplicationAlertOptions, SourceOptions } from '../alert-options';
import { AlertRule, MetricSource, Severity } from '../alert-rule';
import { promBytes } from '../prom-values';

const cnpg = (o: SourceOptions) => o.source === MetricSource.CNPG;

export function availabilityRules(o: SourceOptions): AlertRule[] {
  const by = o.clusterLabel ?? 'cluster';
  const inRecovery = cnpg(o) ? 'cnpg_pg_replication_in_recovery' : 'pg_recovery_in_recovery';
  const up = cnpg(o) ? 'cnpg_collector_up' : 'pg_up';
  return [
    {
      name: 'PostgresInstanceDown',
      expr: `${up} == 0`,
      pendingFor: Duration.minutes(1),
      severity: Severity.CRITICAL,
      summary: 'PostgreSQL {{ $labels.instance }} is down',
      description: 'The exporter cannot reach PostgreSQL on {{ $labels.instance }}: the server is down or refuses connections.',
    },
    {
      name: 'PostgresNoPrimary',
      expr: `count by (${by}) (${inRecovery} == 1) unless count by (${by}) (${inRecovery} == 0)`,
      pendingFor: Duration.minutes(1),
      severity: Severity.CRITICAL,
      summary: 'Cluster {{ $labels.' + by + ' }} has no primary',
      description: 'Every reachable instance of the cluster is in recovery: nothing accepts writes.',
    },
    {
      name: 'PostgresSplitBrain',
      // Counted per cluster: two clusters with one primary each are not a split brain.
      expr: `count by (${by}) (${inRecovery} == 0) > 1`,
      pendingFor: Duration.seconds(30),
      severity: Severity.CRITICAL,
      summary: 'Cluster {{ $labels.' + by + ' }} has {{ $value }} primaries',
      description: 'More than one instance of the cluster accepts writes. Writes to the wrong one will be lost when the cluster is reconciled.',
    },
  ];
}

export function replicationRules(o: ReplicationAlertOptions): AlertRule[] {
  const lag = (o.maxLag ?? Duration.seconds(30)).toSeconds();
  const lagBytes = promBytes(o.maxLagBytes ?? Size.gibibytes(1));
  const slotBytes = promBytes(o.maxSlotRetained ?? Size.gibibytes(10));
  const rules: AlertRule[] = [{
    name: 'PostgresReplicationLagHigh',
    expr: `${cnpg(o) ? 'cnpg_pg_replication_lag' : 'pg_replica_lag_seconds'} > ${lag}`,
    pendingFor: Duration.minutes(2),
    severity: Severity.WARNING,
    summary: 'Standby {{ $labels.instance }} is {{ $value | humanizeDuration }} behind',
    description: `The standby replays WAL more than ${lag}s behind its primary: reads from it are stale and a failover to it would lose that much.`,
  }];
  if (cnpg(o)) return rules;
  return [
    ...rules,
    {
      name: 'PostgresReplicationLagBytesHigh',
      expr: `pg_replication_client_lag_bytes > ${lagBytes}`,
      pendingFor: Duration.minutes(5),
      severity: Severity.WARNING,
      summary: 'Standby {{ $labels.application_name }} is {{ $value | humanize1024 }}B of WAL behind',
      description: 'The primary holds WAL the standby has not replayed; the gap grows when the standby or the network cannot keep up.',
    },
    {
      name: 'PostgresReplicaNotStreaming',
      expr: 'pg_wal_receiver_streaming == 0',
      pendingFor: Duration.minutes(5),
      severity: Severity.CRITICAL,
      summary: 'Standby {{ $labels.instance }} is not streaming WAL',
      description: 'The standby has no streaming WAL receiver: it falls behind with every write until replication is restored.',
    },
    {
      name: 'PostgresReplicationSlotInactive',
      expr: `pg_replication_slot_inactive == 1 and pg_replication_slot_retained_bytes > ${slotBytes}`,
      pendingFor: Duration.minutes(30),
      severity: Severity.CRITICAL,
      summary: 'Replication slot {{ $labels.slot_name }} is inactive and holds WAL',
      description: 'Nothing consumes the slot, so the primary keeps its WAL: the disk fills until the slot is used or dropped.',
    },
    {
      name: 'PostgresReplicationSlotRetainingWal',
      // The active case: a consumer connected but too slow (an inactive slot is the critical rule
      // above). The retained bytes on the left: `and` keeps the left side's value for $value.
      expr: `pg_replication_slot_retained_bytes > ${slotBytes} and pg_replication_slot_inactive == 0`,
      pendingFor: Duration.minutes(15),
      severity: Severity.WARNING,
      summary: 'Replication slot {{ $labels.slot_name }} holds {{ $value | humanize1024 }}B of WAL',
      description: 'The slot\'s consumer is connected but confirms WAL too slowly, so the primary keeps it. Past max_slot_wal_keep_size the slot is invalidated and the standby must be rebuilt; without that limit the disk fills.',
    },
  ];
}
