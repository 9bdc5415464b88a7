import { Duration, Size, Testing } from 'cdk8s';
import { ruleGroupsOf } from './rule-file';
import { AlertFamily, MetricSource, PostgresAlerts } from '../../src';

// Issue 16's alerts: the replication family's slot rules and the pgpool family. Firing and silent
// series are promtool's job (test/contract/alerts.test.ts); here, what the catalog renders.

const rules = (family: AlertFamily) => family._render({ cronJobs: [] });
const rule = (family: AlertFamily, name: string) => rules(family).find((r) => r.name === name);

describe('issue 16: replication and pgpool alerts', () => {
  test('GIVEN the replication family by default WHEN rendered THEN lag in seconds and bytes, an inactive slot and an active slot holding too much WAL are alerts', () => {
    // GIVEN / WHEN
    const names = rules(AlertFamily.replication()).map((r) => r.name);
    // THEN
    expect(names).toEqual([
      'PostgresReplicationLagHigh', 'PostgresReplicationLagBytesHigh', 'PostgresReplicaNotStreaming',
      'PostgresReplicationSlotInactive', 'PostgresReplicationSlotRetainingWal',
    ]);
    // 10 GiB = 10737418240 bytes; retained bytes first, so {{ $value }} is the WAL held.
    expect(rule(AlertFamily.replication(), 'PostgresReplicationSlotRetainingWal')?.expr)
      .toBe('pg_replication_slot_retained_bytes > 10737418240 and pg_replication_slot_inactive == 0');
  });

  test('GIVEN maxSlotRetained WHEN rendered THEN the inactive and the active slot rules share the threshold, each with its own severity', () => {
    // GIVEN
    const family = AlertFamily.replication({ maxSlotRetained: Size.gibibytes(2) });
    // WHEN
    const inactive = rule(family, 'PostgresReplicationSlotInactive');
    const active = rule(family, 'PostgresReplicationSlotRetainingWal');
    // THEN
    expect(inactive?.expr).toContain('> 2147483648');
    expect(active?.expr).toContain('> 2147483648');
    expect([inactive?.severity.value, active?.severity.value]).toEqual(['critical', 'warning']);
    expect(active?.pendingFor?.toMinutes()).toBe(15);
  });

  test('GIVEN CloudNativePG as the source WHEN the replication family is rendered THEN the slot rules are left out (postgres_exporter queries only)', () => {
    // GIVEN / WHEN
    const names = rules(AlertFamily.replication({ source: MetricSource.CNPG })).map((r) => r.name);
    // THEN
    expect(names).toEqual(['PostgresReplicationLagHigh']);
  });

  test('GIVEN the pgpool family WHEN rendered in a catalog THEN one group postgresql.pgpool warns on a backend pgpool reports down, after 2 minutes by default', () => {
    // GIVEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', { families: [AlertFamily.pgpool()] });
    // WHEN
    const groups = ruleGroupsOf(alerts);
    // THEN
    expect(groups.map((g: any) => g.name)).toEqual(['postgresql.pgpool']);
    expect(groups[0].rules).toEqual([expect.objectContaining({
      alert: 'PgpoolBackendDown', expr: 'pgpool2_pool_nodes_status == 0', for: '2m', labels: { severity: 'warning' },
    })]);
    expect(groups[0].rules[0].annotations.runbook_url).toMatch(/\/runbooks\/PgpoolBackendDown\.md$/);
    expect(AlertFamily.pgpool()._sources).toEqual(['pgpool2_exporter']);
  });

  test('GIVEN backendDownFor WHEN the pgpool family is made THEN it is the pending period; zero is refused naming the option', () => {
    // GIVEN / WHEN
    const family = AlertFamily.pgpool({ backendDownFor: Duration.seconds(30) });
    // THEN
    expect(rule(family, 'PgpoolBackendDown')?.pendingFor?.toSeconds()).toBe(30);
    expect(() => AlertFamily.pgpool({ backendDownFor: Duration.seconds(0) }))
      .toThrow('[AlertFamily] pgpool.backendDownFor: got 0; a positive Duration, e.g. Duration.minutes(2)');
  });

  test('GIVEN AlertFamily.all() WHEN listed THEN pgpool is not in it (only apps running pgpool and its exporter need it)', () => {
    // GIVEN / WHEN
    const names = AlertFamily.all().map((f) => f.name);
    // THEN
    expect(names).not.toContain('pgpool');
  });
});
