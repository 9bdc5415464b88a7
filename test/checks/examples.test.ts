import { App, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BackedUpPostgresChart } from '../../examples/backed-up-postgres/chart';
import { BackupSchedulesChart } from '../../examples/backup-schedules/chart';
import { CnpgProductionChart } from '../../examples/cnpg-production/chart';
import { MonitoredPostgresChart } from '../../examples/monitored-postgres/chart';
import { PatroniHaChart } from '../../examples/patroni-ha/chart';
import { PooledWebAppChart } from '../../examples/pooled-web-app/chart';
import { ReadReplicasChart } from '../../examples/read-replicas/chart';
import { Reliability, ReliabilityChecks } from '../../src/checks';

// Genuine findings in the examples (reported to the lead), acknowledged here with the reason,
// as a user would: the examples themselves are owned by others and stay unchanged.
const APP_NOT_RESTRICTED = 'the example\'s application container (not the database) uses cdk8s-plus defaults without capabilities drop ALL and seccomp; reported to the lead';
const ACKNOWLEDGED: Record<string, Array<[string, string, string]>> = {
  'backed-up-postgres': [
    ['Backups', 'PGR-BACKUP-004', 'the example shows backups; its alerts are in monitored-postgres'],
    ['Backups', 'PGR-BACKUP-005', 'the example shows backups; its alerts are in monitored-postgres'],
    ['AppDb', 'PGR-POD-003', 'the example\'s hand-made StatefulSet lacks capabilities drop ALL and seccomp; reported to the lead'],
  ],
  'backup-schedules': [
    ['WeeklyBackup', 'PGR-BACKUP-001', 'the example shows schedules only; restore tests are in backed-up-postgres'],
    ['WeeklyBackup', 'PGR-BACKUP-004', 'the example shows schedules only'],
    ['WeeklyBackup', 'PGR-BACKUP-005', 'the example shows schedules only'],
  ],
  'cnpg-production': [
    ['Db', 'PGR-BACKUP-001', 'no CnpgRestoreTest in the production example yet; reported to the lead'],
    ['Db/Pooler', 'PGR-HA-004', 'CnpgPooler sets no anti-affinity for its 3 instances; reported to the lead'],
    ['Db/Pooler', 'PGR-NET-002', 'CnpgPooler creates no NetworkPolicy; reported to the lead'],
    ['Web', 'PGR-POD-003', APP_NOT_RESTRICTED],
    ['Reports', 'PGR-POD-003', APP_NOT_RESTRICTED],
  ],
  'patroni-ha': [['Web', 'PGR-POD-003', APP_NOT_RESTRICTED]],
  'pooled-web-app': [['Web', 'PGR-POD-003', APP_NOT_RESTRICTED]],
  'read-replicas': [['Web', 'PGR-POD-003', APP_NOT_RESTRICTED]],
};

const EXAMPLES: Array<[string, (app: App) => Chart]> = [
  ['backed-up-postgres', (app) => new BackedUpPostgresChart(app, 'backed-up-postgres')],
  ['backup-schedules', (app) => new BackupSchedulesChart(app, 'backup-schedules')],
  ['cnpg-production', (app) => new CnpgProductionChart(app, 'cnpg-production')],
  ['monitored-postgres', (app) => new MonitoredPostgresChart(app, 'monitored-postgres')],
  ['patroni-ha', (app) => new PatroniHaChart(app, 'patroni-ha', { namespace: 'database' })],
  ['pooled-web-app', (app) => new PooledWebAppChart(app, 'pooled-web-app')],
  ['read-replicas', (app) => new ReadReplicasChart(app, 'read-replicas')],
];

function child(chart: Chart, path: string): IConstruct {
  return path.split('/').reduce<IConstruct>((scope, id) => scope.node.findChild(id), chart);
}

describe('the rule pack over every example', () => {
  test.each(EXAMPLES)('GIVEN the %s example with its genuine findings acknowledged WHEN synthesized under the pack THEN synth passes and no finding is left unacknowledged', (name, make) => {
    // GIVEN the example, its known findings acknowledged with reasons
    const app = Testing.app();
    const chart = make(app);
    for (const [path, ruleId, reason] of ACKNOWLEDGED[name] ?? []) Reliability.acknowledge(child(chart, path), ruleId, reason);
    const pack = ReliabilityChecks.applyTo(chart);
    // WHEN synthesized (the pack's validation runs) and reported
    expect(() => Testing.synth(chart)).not.toThrow();
    const report = pack.report();
    console.log(`${name}:\n${report.text}`);
    // THEN nothing is left, and every acknowledgement matched a finding
    expect(report.findings).toEqual([]);
    const used = new Set(report.acknowledged.map((f) => f.ruleId));
    expect((ACKNOWLEDGED[name] ?? []).map(([, id]) => id).filter((id) => !used.has(id))).toEqual([]);
  });
});
