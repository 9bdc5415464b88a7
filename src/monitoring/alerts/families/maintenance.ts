import { Duration, SizeRoundingBehavior } from 'cdk8s';
import type { MaintenanceAlertOptions, StorageAlertOptions } from '../alert-options';
import { AlertRule, Severity } from '../alert-rule';
import { promBytes, promDuration } from '../prom-values';

export function storageRules(o: StorageAlertOptions): AlertRule[] {
  const horizon = o.horizon ?? Duration.days(7);
  return [{
    name: 'PostgresDatabaseGrowthToLimit',
    expr: `predict_linear(pg_database_size_size_bytes[6h], ${horizon.toSeconds()}) > ${promBytes(o.sizeLimit)}`,
    pendingFor: Duration.hours(1),
    severity: Severity.WARNING,
    summary: 'Database {{ $labels.datname }} will reach its size limit within ' + promDuration(horizon),
    description: `At the growth rate of the last 6 hours the database passes ${o.sizeLimit.toGibibytes({ rounding: SizeRoundingBehavior.NONE })} GiB within ${promDuration(horizon)}.`,
  }];
}

export function maintenanceRules(o: MaintenanceAlertOptions): AlertRule[] {
  const dead = o.maxDeadTupleRatio ?? 0.2;
  return [
    {
      name: 'PostgresXidWraparoundRisk',
      expr: `pg_database_xid_age > ${o.maxXidAge ?? 1_000_000_000}`,
      pendingFor: Duration.minutes(10),
      severity: Severity.CRITICAL,
      summary: 'Database {{ $labels.datname }} is {{ $value }} transactions from its oldest unfrozen XID',
      description: 'Transaction IDs wrap around at about 2.1 billion; before that PostgreSQL stops accepting writes. Vacuum must freeze old rows.',
    },
    {
      name: 'PostgresDeadlocks',
      expr: 'increase(pg_stat_database_deadlocks[10m]) > 0',
      severity: Severity.WARNING,
      summary: 'Deadlocks in {{ $labels.datname }} on {{ $labels.instance }}',
      description: 'Transactions deadlocked and PostgreSQL aborted one of them; the application saw an error.',
    },
    {
      name: 'PostgresDeadTuplesHigh',
      expr: `pg_table_tuples_dead > 10000 and pg_table_tuples_dead / (pg_table_tuples_live + pg_table_tuples_dead) > ${dead}`,
      pendingFor: Duration.hours(1),
      severity: Severity.WARNING,
      summary: 'Table {{ $labels.relname }} in database {{ $labels.datname }} is {{ $value | humanizePercentage }} dead tuples',
      description: 'Autovacuum is not keeping up with updates and deletes on this table: it bloats and its queries slow down.',
    },
  ];
}
