import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ruleGroupsOf } from './rule-file';
import { BackedUpPostgresChart } from '../../examples/backed-up-postgres/chart';
import { BackupSchedulesChart } from '../../examples/backup-schedules/chart';
import { AlertFamily, MetricSource, PostgresAlerts, Severity, Warnings } from '../../src';

/** An example app with the catalog in a chart of its own, synthesized; the rules by alert name. */
function exampleWithAlerts(make: (app: App) => Chart) {
  const app = Testing.app();
  make(app);
  new PostgresAlerts(new Chart(app, 'monitoring'), 'Alerts', { families: [AlertFamily.backups(), AlertFamily.restoreTests()] });
  const manifests = app.charts.flatMap((c) => Testing.synth(c));
  const rules = manifests.find((m) => m.kind === 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules);
  const cronJobs = manifests.filter((m) => m.kind === 'CronJob').map((m) => m.metadata.name as string);
  return { rules, cronJobs, expr: (alert: string) => rules.find((r: any) => r.alert === alert)?.expr as string | undefined };
}

describe('#11.1 alerts select exactly the CronJobs the library created', () => {
  test('#11.1 backed-up-postgres: full, incremental, dump and both restore tests, each by its exact name', () => {
    // GIVEN / WHEN
    const { cronJobs, expr } = exampleWithAlerts((app) => new BackedUpPostgresChart(app, 'backed-up-postgres'));
    const byPart = (part: string) => cronJobs.filter((n) => n.includes(part));
    // THEN
    expect(byPart('-full-')).toHaveLength(1);
    expect(byPart('-incremental-')).toHaveLength(1);
    expect(expr('PostgresFullBackupTooOld')).toContain(`kube_cronjob_status_last_successful_time{cronjob=~"^(${byPart('-full-')[0]})$"}`);
    expect(expr('PostgresIncrementalBackupTooOld')).toContain(`{cronjob=~"^(${byPart('-incremental-')[0]})$"}`);
    expect(expr('PostgresDumpTooOld')).toContain(`{cronjob=~"^(${byPart('-nightlydump-')[0]})$"}`);
    const restoreTests = [...byPart('-dumprestoretest-'), ...byPart('-restoretest-')].sort();
    expect(expr('PostgresRestoreTestJobFailed')).toContain(`owner_name=~"^(${restoreTests.join('|')})$"`);
    // Every backup CronJob's failure is watched; no guessed pattern is left.
    const failed = expr('PostgresBackupJobFailed')!;
    for (const name of [...byPart('-full-'), ...byPart('-incremental-'), ...byPart('-nightlydump-')]) expect(failed).toContain(name);
    expect(JSON.stringify(exampleWithAlerts((app) => new BackedUpPostgresChart(app, 'b')).rules)).not.toMatch(/\.\*-(full|incr)/);
  });

  test('#11.1 a kind the app does not have gets no rule; a backups family that watches nothing warns', () => {
    // GIVEN / WHEN
    const { expr } = exampleWithAlerts((app) => new BackupSchedulesChart(app, 'backup-schedules'));
    // THEN
    expect(expr('PostgresDumpTooOld')).toBeDefined();
    expect(expr('PostgresFullBackupTooOld')).toBeUndefined();
    expect(expr('PostgresRestoreTestJobFailed')).toBeUndefined();

    const app = Testing.app();
    new PostgresAlerts(new Chart(app, 'monitoring'), 'Alerts');
    app.synth();
    expect(Warnings.of(app).join('\n')).toContain('the backups family watches no CronJob');
  });

  test('#11.1 an explicit pattern overrides the selection (CronJobs made elsewhere)', () => {
    // GIVEN / WHEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', {
      families: [AlertFamily.backups({ fullCronJobPattern: 'legacy-full-[0-9]+', jobPattern: 'legacy-.*' })],
    });
    const rules = ruleGroupsOf(alerts).flatMap((g: any) => g.rules);
    // THEN
    expect(rules.find((r: any) => r.alert === 'PostgresFullBackupTooOld').expr).toContain('{cronjob=~"legacy-full-[0-9]+"}');
    expect(rules.find((r: any) => r.alert === 'PostgresBackupJobFailed').expr).toContain('kube_job_owner{owner_kind="CronJob",job_name=~"legacy-.*"}');
  });
});

describe('#11.2 PostgresBackupJobFailed resolves after a later success', () => {
  test('#11.2 the rule compares the newest failed Job per CronJob with the CronJob\'s last success', () => {
    // GIVEN / WHEN
    const { expr } = exampleWithAlerts((app) => new BackedUpPostgresChart(app, 'backed-up-postgres'));
    const failed = expr('PostgresBackupJobFailed')!;
    // THEN
    expect(failed).not.toMatch(/^kube_job_status_failed/);
    expect(failed).toContain('kube_job_failed{condition="true"}');
    expect(failed).toContain('> on (namespace, cronjob) max by (namespace, cronjob) (kube_cronjob_status_last_successful_time)');
  });
});

describe('#11.6 label names, regexes and PromQL are checked at synth', () => {
  test('#11.6 a label name with "." or "/" is refused with a clear error', () => {
    // GIVEN the inputs below WHEN each is checked THEN:
    expect(() => new PostgresAlerts(Testing.chart(), 'Alerts', { labels: { 'app.kubernetes.io/part-of': 'shop' } }))
      .toThrow('[test/Alerts] labels: got "app.kubernetes.io/part-of"; a Prometheus label name');
    expect(() => AlertFamily.availability({ clusterLabel: 'cnpg.io/cluster' })).toThrow('[AlertFamily] availability.clusterLabel: got "cnpg.io/cluster"; a Prometheus label name');
    const alerts = new PostgresAlerts(Testing.chart(), 'Custom', { families: [] });
    expect(() => alerts.addAlert({ name: 'X', expr: 'up == 0', severity: Severity.INFO, summary: 's', description: 'd', labels: { 'team/name': 'a' } }))
      .toThrow('X.labels: got "team/name"; a Prometheus label name');
  });

  test('#11.6 RE2 patterns: \\d and \\b reach PromQL escaped, (?i) is accepted, what RE2 lacks is refused', () => {
    // GIVEN / WHEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', {
      families: [AlertFamily.backups({ fullCronJobPattern: '(?i)db-\\d+-full\\b', incrementalCronJobPattern: 'a"b' })],
    });
    const expr = (name: string) => ruleGroupsOf(alerts).flatMap((g: any) => g.rules).find((r: any) => r.alert === name).expr;
    // THEN
    expect(expr('PostgresFullBackupTooOld')).toContain('{cronjob=~"(?i)db-\\\\d+-full\\\\b"}');
    expect(expr('PostgresIncrementalBackupTooOld')).toContain('{cronjob=~"a\\"b"}');
    expect(() => AlertFamily.backups({ fullCronJobPattern: 'full(?=-)' })).toThrow('[AlertFamily] backups.fullCronJobPattern: got "full(?=-)"; RE2 syntax');
    expect(() => AlertFamily.backups({ jobPattern: '(a)\\1' })).toThrow('is a back-reference');
    expect(() => AlertFamily.backups({ jobPattern: '(' })).toThrow('[AlertFamily] backups.jobPattern: got "("; a valid regular expression');
  });

  test('#11.6 a custom alert\'s PromQL is checked: bad escapes, bad regexes, unbalanced brackets', () => {
    // GIVEN / WHEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', { families: [] });
    const add = (expr: string) => alerts.addAlert({ name: 'Mine', expr, severity: Severity.INFO, summary: 's', description: 'd' });
    // THEN
    expect(() => add('up{job=~"db-\\d+"} == 0')).toThrow('[test/Alerts] addAlert(Mine).expr: got "up{job=~\\"db-\\\\d+\\"} == 0"; PromQL: "\\d" at 12 is no escape');
    expect(() => add('up{job=~"(?<=a)b"} == 0')).toThrow('RE2 syntax');
    expect(() => add('sum(rate(x[5m]) > 1')).toThrow('PromQL: "(" is not closed');
    expect(() => add('up{job=~"db-\\\\d+",instance=~"(?i)DB.*"} == 0')).not.toThrow();
  });
});

describe('#11.1 runbooks of the job alerts', () => {
  test.each([[MetricSource.POSTGRES_EXPORTER], [MetricSource.CNPG]])('#11.1 every job alert links to an existing runbook (%s)', (source) => {
    // GIVEN / WHEN
    const patterns = { fullCronJobPattern: 'a', differentialCronJobPattern: 'b', incrementalCronJobPattern: 'c', dumpCronJobPattern: 'd', source };
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', { families: [AlertFamily.backups(patterns), AlertFamily.restoreTests({ cronJobPattern: 'e' })] });
    const rules = ruleGroupsOf(alerts).flatMap((g: any) => g.rules);
    // THEN
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      const [, file] = /\/runbooks\/(\w+\.md)$/.exec(rule.annotations.runbook_url)!;
      expect(fs.readFileSync(path.join(__dirname, '../../runbooks', file), 'utf8').split('\n')[0]).toBe(`# ${rule.alert}`);
    }
  });
});
