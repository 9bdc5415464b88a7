import {
  alerts, BACKUP_ALERTS, backupJob, cnpgCluster, container, cronJob, deployment, networkPolicy, pdb, podMonitor, restoreTestJob,
} from './fixtures';
import { viewOfManifests } from '../../src/checks/app-view';
import { ALL_RULES } from '../../src/checks/rules';

const NOW = new Date(Date.UTC(2025, 0, 1));
function findings(ruleId: string, manifests: any[], production = false): string[] {
  const rule = ALL_RULES.find((r) => r.id === ruleId)!;
  return rule.check(viewOfManifests(manifests, { now: NOW, production })).map((f) => `${f.object.path}: ${f.message}`);
}

const db = (replicas: number, extra: any = {}) => ({
  ...deployment('db', replicas, [container('postgres', 'postgres:15.18')]),
  kind: 'StatefulSet',
  ...extra,
});
const dbWithClaims = (replicas: number) => {
  const s = db(replicas);
  s.spec.volumeClaimTemplates = [{ metadata: { name: 'data' } }];
  return s;
};
const pooler = deployment('pooler', 2, [container('pgbouncer', 'pgbouncer:1.23.1')]);
const exporter = deployment('exporter', 1, [container('exporter', 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0')]);
const pgbackrestConf = (days: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data: { 'pgbackrest.conf': `[global]\nrepo1-retention-full-type=time\nrepo1-retention-full=${days}\n` } });

// [rule id, what the case shows, compliant app, non-compliant app, production]
const TABLE: Array<[string, string, any[], any[], boolean?]> = [
  ['PGR-BACKUP-001', 'a pgBackRest backup CronJob', [backupJob('full', '0 4 * * SUN', 'full'), restoreTestJob('0 6 * * WED')], [backupJob('full', '0 4 * * SUN', 'full')]],
  ['PGR-BACKUP-001', 'a CNPG ScheduledBackup', [{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name: 'b' }, spec: {} }, restoreTestJob('0 6 * * *')], [{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name: 'b' }, spec: {} }]],
  ['PGR-BACKUP-002', 'a restore test on the 1st of the month', [restoreTestJob('0 6 * * WED')], [restoreTestJob('0 6 1 * *')]],
  ['PGR-BACKUP-003', 'a 14-day retention and a monthly restore test', [pgbackrestConf(60), restoreTestJob('0 6 1 * *')], [pgbackrestConf(14), restoreTestJob('0 6 1 * *')]],
  ['PGR-BACKUP-003', 'a CNPG ObjectStore keeping 1w', [{ kind: 'ObjectStore', apiVersion: 'barmancloud.cnpg.io/v1', metadata: { name: 'o' }, spec: { retentionPolicy: '30d' } }, restoreTestJob('0 6 * * 3')], [{ kind: 'ObjectStore', apiVersion: 'barmancloud.cnpg.io/v1', metadata: { name: 'o' }, spec: { retentionPolicy: '5d' } }, restoreTestJob('0 6 * * 3')]],
  ['PGR-BACKUP-004', 'backups with and without an age alert', [backupJob('full', '0 4 * * SUN', 'full'), BACKUP_ALERTS], [backupJob('full', '0 4 * * SUN', 'full')]],
  ['PGR-BACKUP-005', 'backups with and without an archiver alert', [backupJob('full', '0 4 * * SUN', 'full'), BACKUP_ALERTS], [backupJob('full', '0 4 * * SUN', 'full'), alerts([{ alert: 'Old', expr: 'kube_cronjob_status_last_successful_time', annotations: { runbook_url: 'x' } }])]],
  ['PGR-BACKUP-006', 'full Sunday + incremental daily at 04:00 on one stanza', [backupJob('full', '0 4 * * SUN', 'full'), backupJob('incr', '0 4 * * MON-SAT', 'incr')], [backupJob('full', '0 4 * * SUN', 'full'), backupJob('incr', '0 4 * * *', 'incr')]],
  ['PGR-BACKUP-007', 'a backup CronJob with concurrencyPolicy Allow', [backupJob('full', '0 4 * * SUN', 'full')], [{ ...backupJob('full', '0 4 * * SUN', 'full'), spec: { ...backupJob('full', '0 4 * * SUN', 'full').spec, concurrencyPolicy: 'Allow' } }]],
  ['PGR-SCHED-001', 'a 02:30 run in Europe/Berlin', [cronJob('j', '30 4 * * *', [container('c', 'busybox:1.36')], { timeZone: 'Europe/Berlin' })], [cronJob('j', '30 2 * * *', [container('c', 'busybox:1.36')], { timeZone: 'Europe/Berlin' })]],
  ['PGR-HA-001', 'a single CNPG instance in production', [cnpgCluster('db', { instances: 3 })], [cnpgCluster('db', { instances: 1 })], true],
  ['PGR-HA-001', 'a single instance labelled environment: production', [{ ...cnpgCluster('db', { instances: 1 }), metadata: { name: 'db', labels: { environment: 'staging' } } }], [{ ...cnpgCluster('db', { instances: 1 }), metadata: { name: 'db', labels: { environment: 'production' } } }]],
  ['PGR-HA-002', 'a 2-replica pooler', [pooler, pdb('pooler', 'pooler')], [pooler]],
  ['PGR-HA-002', 'a CNPG cluster with enablePDB false', [cnpgCluster('db')], [cnpgCluster('db', { enablePDB: false })]],
  ['PGR-HA-003', 'a budget of maxUnavailable 0', [pooler, pdb('pooler', 'pooler')], [pooler, pdb('pooler', 'pooler', { maxUnavailable: 0 })]],
  ['PGR-HA-004', 'a pooler without spread', [pooler], [{ ...pooler, spec: { ...pooler.spec, template: { ...pooler.spec.template, spec: { containers: pooler.spec.template.spec.containers } } } }]],
  ['PGR-HA-005', 'CNPG with 1 synchronous standby of 1', [cnpgCluster('db', { instances: 3, postgresql: { synchronous: { method: 'any', number: 1 } } })], [cnpgCluster('db', { instances: 2, postgresql: { synchronous: { method: 'any', number: 1 } } })]],
  ['PGR-HA-006', 'a database StatefulSet without claims', [dbWithClaims(1)], [db(1)]],
  ['PGR-MON-001', 'an alert without runbook_url', [BACKUP_ALERTS], [alerts([{ alert: 'A', expr: 'up == 0' }])]],
  ['PGR-MON-002', 'a CNPG cluster without a PodMonitor', [cnpgCluster('db'), podMonitor('db')], [cnpgCluster('db'), podMonitor('other')]],
  ['PGR-NET-001', 'an exporter without a NetworkPolicy', [exporter, networkPolicy('exporter', 'exporter')], [exporter]],
  ['PGR-NET-002', 'a pooler without a NetworkPolicy', [pooler, networkPolicy('pooler', 'pooler')], [pooler, networkPolicy('other', 'other')]],
  ['PGR-POD-001', 'a database container without resources', [dbWithClaims(1)], [deployment('db', 1, [{ ...container('postgres', 'postgres:15.18'), resources: {} }])]],
  ['PGR-POD-002', 'an image tagged latest and one untagged', [deployment('w', 1, [container('w', 'nginx:1.27'), container('d', 'nginx@sha256:abc')])], [deployment('w', 1, [container('w', 'nginx:latest'), container('x', 'registry:5000/nginx')])]],
  ['PGR-POD-003', 'a container without capabilities drop ALL', [deployment('w', 1, [container('w', 'nginx:1.27')])], [deployment('w', 1, [{ ...container('w', 'nginx:1.27'), securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }])]],
  ['PGR-SEC-001', 'a Secret with data', [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' }], [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'x' } }]],
];

// Rows as objects: jest-each hands an array row's values as arguments and, when the callback
// declares more parameters than a row has (rows without the optional `production`), treats the
// extra one as a `done` callback and waits for it until the test timeout (30 s a test, idle: the
// "hang" of the first version). An object row is always one argument.
const CASES = TABLE.map(([ruleId, what, compliant, bad, production]) => ({ ruleId, what, compliant, bad, production: production ?? false }));

describe('each rule', () => {
  test.each(CASES)('$ruleId GIVEN $what WHEN the compliant app is checked THEN nothing is found', ({ ruleId, compliant, production }) => {
    expect(findings(ruleId, compliant, production)).toEqual([]);
  });

  test.each(CASES)('$ruleId GIVEN $what WHEN the non-compliant app is checked THEN the object is named', ({ ruleId, bad, production }) => {
    const found = findings(ruleId, bad, production);
    console.log(`${ruleId}: ${found.join(' | ')}`);
    expect(found.length).toBeGreaterThan(0);
  });

  test('GIVEN the pack WHEN its rules are listed THEN at least 20, each with a unique id, a name, an explanation and a fix, and each has a test case', () => {
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect([r.id, r.name.length > 0, r.explanation.length > 0, r.fix.length > 0]).toEqual([r.id, true, true, true]);
      expect(r.id).toMatch(/^PGR-[A-Z]+-\d{3}$/);
    }
    expect(ALL_RULES.map((r) => r.id).filter((id) => !CASES.some((c) => c.ruleId === id))).toEqual([]);
  });
});
