import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { runUnchecked, serviceTempDir, stopAllServices, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { AlertFamily, PostgresAlerts } from '../../src';
import { ruleGroupsOf } from '../monitoring/rule-file';

jest.setTimeout(60_000);
afterAll(stopAllServices);

// Series as Patroni 3.0's GET /metrics writes them (only a `scope` label) once Prometheus has
// added its target labels.
const at = (member: number) => `instance="10.0.0.${member}:8008",job="patroni",scope="app-db"`;

interface Case {
  readonly alert: string;
  readonly series: Record<string, string>;
  readonly evalTime: string;
  readonly expected: Array<Record<string, string>>;
}

const CASES: Case[] = [
  { alert: 'PatroniNoLeader', series: { [`patroni_cluster_unlocked{${at(1)}}`]: '0 0 1 1 1 1', [`patroni_cluster_unlocked{${at(2)}}`]: '0 0 1 1 1 1' }, evalTime: '5m', expected: [{ scope: 'app-db' }] },
  { alert: 'PatroniNoLeader', series: { [`patroni_cluster_unlocked{${at(1)}}`]: '0 0 0 0 0 0' }, evalTime: '5m', expected: [] },
  { alert: 'PatroniMultiplePrimaries', series: { [`patroni_primary{${at(1)}}`]: '1 1 1', [`patroni_primary{${at(2)}}`]: '0 1 1', [`patroni_primary{${at(3)}}`]: '0 0 0' }, evalTime: '2m', expected: [{ scope: 'app-db' }] },
  // Two clusters with one primary each: counted per cluster, no alert.
  { alert: 'PatroniMultiplePrimaries', series: { [`patroni_primary{${at(1)}}`]: '1 1 1', ['patroni_primary{instance="10.0.1.1:8008",job="patroni",scope="orders"}']: '1 1 1' }, evalTime: '2m', expected: [] },
  { alert: 'PatroniLeaderChanged', series: { [`patroni_postgres_timeline{${at(1)}}`]: '1 1 1 2 2' }, evalTime: '4m', expected: [{ scope: 'app-db' }] },
  { alert: 'PatroniLeaderChanged', series: { [`patroni_postgres_timeline{${at(1)}}`]: '3 3 3 3 3' }, evalTime: '4m', expected: [] },
  {
    alert: 'PatroniMemberLagging',
    series: { [`patroni_xlog_location{${at(1)}}`]: '0+100000000x10', [`patroni_xlog_replayed_location{${at(2)}}`]: '0+10000000x10', [`patroni_xlog_replayed_location{${at(3)}}`]: '0+100000000x10' },
    evalTime: '10m',
    expected: [{ scope: 'app-db', instance: '10.0.0.2:8008', job: 'patroni' }],
  },
  { alert: 'PatroniFailsafeActive', series: { [`patroni_failsafe_mode_is_active{${at(1)}}`]: '0 1 1 1 1' }, evalTime: '4m', expected: [{ scope: 'app-db' }] },
];

describe('the Patroni alert family, checked by promtool', () => {
  test('GIVEN series shaped like Patroni\'s /metrics WHEN promtool evaluates the rendered rules THEN each alert fires exactly in its case, per cluster', () => {
    const groups = ruleGroupsOf(new PostgresAlerts(Testing.chart(), 'Alerts', { families: [AlertFamily.patroni()] }));
    expect(groups.flatMap((g: any) => g.rules.map((r: any) => r.alert)).sort()).toEqual(
      ['PatroniFailsafeActive', 'PatroniLeaderChanged', 'PatroniMemberLagging', 'PatroniMultiplePrimaries', 'PatroniNoLeader']);
    const dir = serviceTempDir('patroni-promtool').path;
    // Annotations are left out of the file under test: promtool would compare their rendered text.
    const bare = groups.map((g: any) => ({ name: g.name, rules: g.rules.map(({ annotations, ...rule }: any) => rule) }));
    writeServiceFile(path.join(dir, 'rules.yml'), Yaml.stringify({ groups: bare }));
    const tests = CASES.map((c) => ({
      interval: '1m',
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [{
        eval_time: c.evalTime,
        alertname: c.alert,
        exp_alerts: c.expected.map((labels) => ({ exp_labels: { ...labels, severity: c.alert === 'PatroniNoLeader' || c.alert === 'PatroniMultiplePrimaries' ? 'critical' : 'warning' } })),
      }],
    }));
    writeServiceFile(path.join(dir, 'tests.yml'), Yaml.stringify({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests }));
    const check = runUnchecked(program('promtool'), ['check', 'rules', 'rules.yml'], { cwd: dir });
    expect(check.status).toBe(0);
    const result = runUnchecked(program('promtool'), ['test', 'rules', 'tests.yml'], { cwd: dir });
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
