import { ApiObject, Chart, Testing } from 'cdk8s';
import { cnpgCluster, podMonitor } from './fixtures';
import { Reliability, ReliabilityChecks } from '../../src/checks';

// A chart of one CNPG cluster: `instances: 1` under `production` is PGR-HA-001 (ERROR); a
// cluster without a PodMonitor is PGR-MON-002 (WARNING).
function chartWith(id: string, instances: number, monitored: boolean): { app: ReturnType<typeof Testing.app>; chart: Chart; db: ApiObject } {
  const app = Testing.app();
  const chart = new Chart(app, id);
  const db = new ApiObject(chart, 'Db', cnpgCluster('db', { instances }));
  if (monitored) new ApiObject(chart, 'Pm', podMonitor('db'));
  return { app, chart, db };
}

describe('the pack', () => {
  test('GIVEN a single production instance WHEN the app is synthesized THEN synth fails naming the object path, the rule id and the fix', () => {
    const { app } = chartWith('Prod', 1, true);
    ReliabilityChecks.applyTo(app, { production: true });
    expect(() => app.synth()).toThrow(/\[Prod\/Db\] PGR-HA-001 ERROR: .*Fix: /);
  });

  test('GIVEN only a WARNING finding WHEN the app is synthesized THEN synth passes and the report lists it', () => {
    const { app } = chartWith('Warn', 3, false);
    const pack = ReliabilityChecks.applyTo(app, { production: true });
    expect(() => app.synth()).not.toThrow();
    expect(pack.report().findings.map((f) => `${f.ruleId} ${f.level} ${f.path}`)).toEqual(['PGR-MON-002 WARNING Warn/Db']);
  });

  test('GIVEN an acknowledgement with an empty reason or an unknown rule id WHEN recorded THEN it is refused with the prop named', () => {
    const { db } = chartWith('Ack', 1, true);
    expect(() => Reliability.acknowledge(db, 'PGR-HA-001', '  ')).toThrow(/reason/);
    expect(() => Reliability.acknowledge(db, 'PGR-NOPE-001', 'because')).toThrow(/ruleId.*PGR-NOPE-001/s);
  });

  test('GIVEN an acknowledgement on one chart WHEN two charts have the same finding THEN only that chart\'s subtree is covered', () => {
    const app = Testing.app();
    const covered = new Chart(app, 'Covered');
    new ApiObject(covered, 'Db', cnpgCluster('db', { instances: 1 }));
    new ApiObject(covered, 'Pm', podMonitor('db'));
    const other = new Chart(app, 'Other');
    new ApiObject(other, 'Db', cnpgCluster('db2', { instances: 1 }));
    new ApiObject(other, 'Pm', podMonitor('db2'));
    Reliability.acknowledge(covered, 'PGR-HA-001', 'a demo chart');
    const pack = ReliabilityChecks.applyTo(app, { production: true });
    const report = pack.report();
    expect(report.findings.map((f) => `${f.ruleId} ${f.path}`)).toEqual(['PGR-HA-001 Other/Db']);
    expect(report.acknowledged.map((f) => `${f.ruleId} ${f.path} ${f.acknowledgedReason}`)).toEqual(['PGR-HA-001 Covered/Db a demo chart']);
    expect(() => app.synth()).toThrow(/\[Other\/Db\] PGR-HA-001/);
  });

  test('GIVEN a finding and an acknowledged one WHEN the report is made THEN its text and JSON list findings and acknowledgements', () => {
    const { app, db } = chartWith('Rep', 1, false);
    Reliability.acknowledge(db, 'PGR-HA-001', 'a throwaway preview environment');
    const report = ReliabilityChecks.applyTo(app, { production: true }).report();
    console.log(report.text);
    expect(report.text).toMatch(/^Reliability checks: 1 finding\(s\), 1 acknowledged, 22 rules$/m);
    expect(report.text).toMatch(/\[Rep\/Db\] PGR-MON-002 WARNING: .*Fix: /);
    expect(report.text).toMatch(/\[Rep\/Db\] PGR-HA-001 ERROR: .*\(acknowledged: a throwaway preview environment\)/);
    expect(report.text).toContain('acknowledgement PGR-HA-001 on [Rep/Db]: a throwaway preview environment');
    const json = JSON.parse(report.json);
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['PGR-MON-002']);
    expect(json.acknowledged.map((f: { ruleId: string }) => f.ruleId)).toEqual(['PGR-HA-001']);
    expect(json.acknowledgements).toEqual([{ ruleId: 'PGR-HA-001', reason: 'a throwaway preview environment', path: 'Rep/Db' }]);
    expect(() => app.synth()).not.toThrow();
  });
});
