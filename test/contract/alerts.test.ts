import * as path from 'path';
import { Duration, Size, Testing, Yaml } from 'cdk8s';
import { AlertFamily, MetricSource, PostgresAlerts } from '../../src';
import { AlertCase, CNPG_CASES, EXPORTER_CASES, PGPOOL_CASES } from '../monitoring/alert-cases';
import { scrapeExporter } from './harness/exporter';
import { runUnchecked, serviceTempDir, stopAllServices, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { ruleGroupsOf } from '../monitoring/rule-file';

jest.setTimeout(180_000);
afterAll(stopAllServices);

function groupsOf(families: AlertFamily[]): any[] {
  return ruleGroupsOf(new PostgresAlerts(Testing.chart(), 'Alerts', { families }));
}

// Job alerts select the app's own CronJobs; in this app-less catalog, patterns name them (the
// per-example selection is proven in backup-alerts.test.ts).
const JOBS = {
  fullCronJobPattern: 'app-backups-full-c1a2',
  differentialCronJobPattern: 'app-backups-differential-c1a2',
  incrementalCronJobPattern: 'app-backups-incremental-c1a2',
  dumpCronJobPattern: 'app-nightlydump-c1a2',
  // Ages in hours keep promtool's minute-by-minute evaluation short (the example test uses the defaults).
  fullMaxAge: Duration.hours(2),
  differentialMaxAge: Duration.hours(2),
  incrementalMaxAge: Duration.hours(1),
  dumpMaxAge: Duration.hours(1),
};
const EXPORTER_GROUPS = groupsOf([
  ...AlertFamily.all().filter((f) => !['backups', 'restore-tests'].includes(f.name)),
  AlertFamily.backups(JOBS), AlertFamily.restoreTests({ cronJobPattern: 'app-restoretest-c1a2' }), AlertFamily.storage({ sizeLimit: Size.gibibytes(80) }),
]);
const CNPG_GROUPS = groupsOf([
  AlertFamily.availability({ source: MetricSource.CNPG }), AlertFamily.replication({ source: MetricSource.CNPG }),
  AlertFamily.connections({ source: MetricSource.CNPG }),
  AlertFamily.backups({ source: MetricSource.CNPG, dumpCronJobPattern: JOBS.dumpCronJobPattern, dumpMaxAge: JOBS.dumpMaxAge }),
]);
const PGPOOL_GROUPS = groupsOf([AlertFamily.pgpool()]);

const dir = serviceTempDir('promtool');
afterAll(() => dir.remove());

function promtool(args: string[]) {
  // Whole catalogs over days of minute-by-minute samples: promtool needs more than the default minute.
  const result = runUnchecked(program('promtool'), args, { cwd: dir.path, timeoutMs: 300_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * Writes, per alert, a rule file with that alert's rule alone and the promtool unit tests of its
 * cases, and runs `promtool test rules` over them all. One rule per file: promtool evaluates every
 * rule of a file at every step, and the cases span days of minute-by-minute steps.
 */
function testRules(name: string, groups: any[], cases: AlertCase[]) {
  const test = (c: AlertCase, series: Record<string, string>, expAlerts: Array<Record<string, string>>) => ({
    interval: c.interval ?? '1m',
    input_series: Object.entries(series).map(([s, values]) => ({ series: s, values })),
    alert_rule_test: [{ eval_time: c.evalTime, alertname: c.alert, exp_alerts: expAlerts.map((labels) => ({ exp_labels: labels })) }],
  });
  const files = [...new Set(cases.map((c) => c.alert))].map((alert) => {
    // Annotations are left out of the file under test: promtool would compare their rendered text.
    const bare = groups
      .map((g) => ({ name: g.name, rules: g.rules.filter((r: any) => r.alert === alert).map(({ annotations, ...rule }: any) => rule) }))
      .filter((g) => g.rules.length > 0);
    writeServiceFile(path.join(dir.path, `${name}-${alert}-rules.yml`), Yaml.stringify({ groups: bare }));
    const tests = cases.filter((c) => c.alert === alert).flatMap((c) => [test(c, c.firing.series, c.firing.labels), test(c, c.silent.series, [])]);
    const testFile = Yaml.stringify({ rule_files: [`${name}-${alert}-rules.yml`], evaluation_interval: '1m', tests });
    writeServiceFile(path.join(dir.path, `${name}-${alert}-tests.yml`), testFile);
    return `${name}-${alert}-tests.yml`;
  });
  return promtool(['test', 'rules', ...files]);
}

const alertNames = (groups: any[]) => groups.flatMap((g) => g.rules.map((r: any) => r.alert)).sort();

describe('the alert catalog, checked by promtool', () => {
  test.each([['exporter', EXPORTER_GROUPS], ['cnpg', CNPG_GROUPS], ['pgpool', PGPOOL_GROUPS]])('promtool check rules accepts every %s group, annotations included', (name, groups) => {
    writeServiceFile(path.join(dir.path, `${name}-full.yml`), Yaml.stringify({ groups }));
    const result = promtool(['check', 'rules', `${name}-full.yml`]);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  test('every alert has a firing and a silent case', () => {
    const covered = (cases: AlertCase[]) => [...new Set(cases.map((c) => c.alert))].sort();
    expect(covered(EXPORTER_CASES)).toEqual(alertNames(EXPORTER_GROUPS));
    expect(covered(CNPG_CASES)).toEqual(alertNames(CNPG_GROUPS));
    expect(covered(PGPOOL_CASES)).toEqual(alertNames(PGPOOL_GROUPS));
  });

  test('promtool test rules: postgres_exporter families', () => {
    const result = testRules('exporter', EXPORTER_GROUPS, EXPORTER_CASES);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  test('promtool test rules: CloudNativePG families (split-brain from cnpg_pg_replication_in_recovery)', () => {
    expect(JSON.stringify(CNPG_GROUPS)).toContain('count by (cluster) (cnpg_pg_replication_in_recovery == 0) > 1');
    expect(JSON.stringify(CNPG_GROUPS)).not.toContain('is_replica');
    const result = testRules('cnpg', CNPG_GROUPS, CNPG_CASES);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  test('promtool test rules: pgpool family (series shaped like pgpool2_exporter\'s pool_nodes)', () => {
    const result = testRules('pgpool', PGPOOL_GROUPS, PGPOOL_CASES);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  test('a broken case is caught: promtool fails when an alert is expected but silent', () => {
    const wrong = EXPORTER_CASES.filter((c) => c.alert === 'PostgresInstanceDown').map((c) => ({ ...c, firing: { ...c.firing, series: c.silent.series } }));
    const result = testRules('broken', EXPORTER_GROUPS, wrong);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/FAILED/);
  });
});

describe('every postgres_exporter metric the catalog uses exists in a real scrape', () => {
  test('names found in /metrics of postgres_exporter with the rendered queries against PostgreSQL 15', async () => {
    const { metrics } = await scrapeExporter();
    const referenced = new Set(EXPORTER_GROUPS.flatMap((g) => g.rules.flatMap((r: any) => (r.expr as string).match(/\bpg_[a-z0-9_]+\b/g) ?? [])));
    expect(referenced.size).toBeGreaterThan(15);
    const missing = [...referenced].filter((name) => !metrics.has(name)).sort();
    expect(missing).toEqual([]);
  });
});
