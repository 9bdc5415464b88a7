import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { runUnchecked, serviceTempDir, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { BackedUpPostgresChart } from '../../examples/backed-up-postgres/chart';
import { BackupSchedulesChart } from '../../examples/backup-schedules/chart';
import { CnpgProductionChart } from '../../examples/cnpg-production/chart';
import { AlertFamily, CnpgCluster, CnpgObjectStore, CnpgRestoreTest, MetricSource, PostgresAlerts, RestoreCheck } from '../../src';
import { jobRun, lastSuccess } from '../monitoring/alert-cases';

jest.setTimeout(300_000);

const dir = serviceTempDir('backup-alerts');
afterAll(() => dir.remove());

/** Every alert about a library CronJob: a failing CronJob must fire exactly its own. */
const JOB_ALERTS = [
  'PostgresFullBackupTooOld', 'PostgresDifferentialBackupTooOld', 'PostgresIncrementalBackupTooOld', 'PostgresDumpTooOld',
  'PostgresBackupJobFailed', 'PostgresRestoreTestJobFailed',
];

/**
 * What each CronJob is, read from its synthesized pod rather than from the library's registry, so
 * the test does not trust the code under test: the alert its failure must fire, and its age alert.
 */
function expectationsOf(cronJob: any): { failed: string; severity: string; tooOld?: { alert: string; days: number; severity: string } } {
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  const work = [...(pod.initContainers ?? []), ...pod.containers];
  const command = JSON.stringify(work.map((c: any) => [c.command, c.args]));
  const backup = /--type=(full|diff|incr) backup/.exec(command)?.[1];
  if (backup === 'full') return { failed: 'PostgresBackupJobFailed', severity: 'warning', tooOld: { alert: 'PostgresFullBackupTooOld', days: 8, severity: 'critical' } };
  if (backup === 'diff') return { failed: 'PostgresBackupJobFailed', severity: 'warning', tooOld: { alert: 'PostgresDifferentialBackupTooOld', days: 8, severity: 'warning' } };
  if (backup === 'incr') return { failed: 'PostgresBackupJobFailed', severity: 'warning', tooOld: { alert: 'PostgresIncrementalBackupTooOld', days: 2, severity: 'warning' } };
  if (work.some((c: any) => c.name === 'pg-dump')) return { failed: 'PostgresBackupJobFailed', severity: 'warning', tooOld: { alert: 'PostgresDumpTooOld', days: 2, severity: 'warning' } };
  if (work.some((c: any) => c.name === 'restore-test' || c.name === 'check')) return { failed: 'PostgresRestoreTestJobFailed', severity: 'critical' };
  throw new Error(`unknown CronJob ${cronJob.metadata.name}`);
}

/** The examples that create CronJobs, each with the catalog in a monitoring chart of the same app. */
const EXAMPLES: Array<[string, (app: App) => void, MetricSource]> = [
  ['backed-up-postgres', (app) => new BackedUpPostgresChart(app, 'backed-up-postgres'), MetricSource.POSTGRES_EXPORTER],
  ['backup-schedules', (app) => new BackupSchedulesChart(app, 'backup-schedules'), MetricSource.POSTGRES_EXPORTER],
  // cnpg-production has no CronJob of its own; its documented restore test is added here.
  ['cnpg-production + CnpgRestoreTest', (app) => {
    const chart = new CnpgProductionChart(app, 'cnpg-production');
    new CnpgRestoreTest(chart, 'RestoreTest', {
      cluster: chart.node.findChild('Db') as CnpgCluster, objectStore: chart.node.findChild('Backups') as CnpgObjectStore, checks: [RestoreCheck.integrity()],
    });
  }, MetricSource.CNPG],
];

function synthExample(make: (app: App) => void, source: MetricSource) {
  const app = Testing.app();
  make(app);
  new PostgresAlerts(new Chart(app, 'monitoring'), 'Alerts', { families: [AlertFamily.backups({ source }), AlertFamily.restoreTests()] });
  const manifests = app.charts.flatMap((c) => Testing.synth(c));
  const groups = manifests.find((m) => m.kind === 'PrometheusRule').spec.groups;
  return { groups, cronJobs: manifests.filter((m) => m.kind === 'CronJob') };
}

const NS = 'default';
const promTest = (interval: string, series: Record<string, string>, checks: Array<[string, string, Array<Record<string, string>>]>) => ({
  interval,
  input_series: Object.entries(series).map(([s, values]) => ({ series: s, values })),
  alert_rule_test: checks.map(([evalTime, alertname, labels]) => ({
    eval_time: evalTime, alertname, exp_alerts: labels.map((l) => ({ exp_labels: l })),
  })),
});

describe('#11.1/#11.2 promtool test rules over the kube-state-metrics series of every CronJob the examples create', () => {
  let total = { cronJobs: 0, tests: 0, evaluations: 0 };
  afterAll(() => console.log(`#11.1/#11.2 promtool: ${total.cronJobs} CronJobs, ${total.tests} test groups, ${total.evaluations} alert evaluations, all passed`));

  test.each(EXAMPLES)('#11.1 #11.2 %s: each CronJob\'s failure fires its alert (only it), a later success resolves it; its age alert likewise', (name, make, source) => {
    const { groups, cronJobs } = synthExample(make, source);
    expect(cronJobs.length).toBeGreaterThan(0);
    const bare = groups.map((g: any) => ({ name: g.name, rules: g.rules.map(({ annotations, ...rule }: any) => rule) }));
    const present = new Set(groups.flatMap((g: any) => g.rules.map((r: any) => r.alert)));
    const tests: any[] = [];
    for (const cronJob of cronJobs) {
      const cj = cronJob.metadata.name as string;
      const exp = expectationsOf(cronJob);
      const others = cronJobs.filter((o) => o !== cronJob).map((o) => o.metadata.name as string);
      // The others all succeed: only the failing CronJob may alert.
      const healthy = Object.assign({}, ...others.map((o) => ({ ...jobRun(o, 5, false, 5, 60, NS), ...lastSuccess(o, 360, 6, 60, NS) })));
      const silentAll = (at: string) => JOB_ALERTS.filter((a) => present.has(a)).map((a): [string, string, any[]] => [at, a, []]);
      const firingAt = (at: string) => JOB_ALERTS.filter((a) => present.has(a))
        .map((a): [string, string, any[]] => [at, a, a === exp.failed ? [{ cronjob: cj, namespace: NS, severity: exp.severity }] : []]);
      // Succeeded at minute 1, failed at minute 10, succeeded again at minute 30 (done at 35).
      tests.push(promTest('1m', {
        ...healthy,
        ...jobRun(cj, 1, false, 1, 60, NS),
        ...jobRun(cj, 10, true, 10, 60, NS),
        ...jobRun(cj, 30, false, 30, 60, NS),
        [`kube_cronjob_status_last_successful_time{cronjob="${cj}",namespace="${NS}"}`]: '_ 120x33 2100x25',
      }, [...firingAt('20m'), ...silentAll('40m')]));
      // Never succeeded before the failure.
      tests.push(promTest('1m', {
        ...healthy, ...jobRun(cj, 10, true, 10, 60, NS), ...jobRun(cj, 30, false, 30, 60, NS), ...lastSuccess(cj, 2100, 35, 60, NS),
      }, [...firingAt('20m'), ...silentAll('40m')]));
      if (exp.tooOld) {
        // Last success at time 0, the next one 30 minutes past the threshold.
        const minutes = exp.tooOld.days * 1440 + 30;
        tests.push(promTest('1m', {
          [`kube_cronjob_created{cronjob="${cj}",namespace="${NS}"}`]: `0x${minutes + 60}`,
          [`kube_cronjob_status_last_successful_time{cronjob="${cj}",namespace="${NS}"}`]: `0x${minutes} ${minutes * 60}x60`,
        }, [
          ...JOB_ALERTS.filter((a) => present.has(a)).map((a): [string, string, any[]] => [`${minutes - 5}m`, a, a === exp.tooOld!.alert ? [{ cronjob: cj, namespace: NS, severity: exp.tooOld!.severity }] : []]),
          ...silentAll(`${minutes + 20}m`),
        ]));
      }
    }
    writeServiceFile(path.join(dir.path, `${name.replace(/\W+/g, '-')}-rules.yml`), Yaml.stringify({ groups: bare }));
    writeServiceFile(path.join(dir.path, `${name.replace(/\W+/g, '-')}-tests.yml`), Yaml.stringify({ rule_files: [`${name.replace(/\W+/g, '-')}-rules.yml`], evaluation_interval: '1m', tests }));
    const result = runUnchecked(program('promtool'), ['test', 'rules', `${name.replace(/\W+/g, '-')}-tests.yml`], { cwd: dir.path, timeoutMs: 240_000 });
    const evaluations = tests.reduce((n, t) => n + t.alert_rule_test.length, 0);
    console.log(`${name}: ${cronJobs.length} CronJobs (${cronJobs.map((c) => c.metadata.name).join(', ')}), ${tests.length} promtool tests, ${evaluations} alert evaluations`);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
    total = { cronJobs: total.cronJobs + cronJobs.length, tests: total.tests + tests.length, evaluations: total.evaluations + evaluations };
  });
});
