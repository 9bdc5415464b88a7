import * as fs from 'fs';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import { ruleGroupsOf } from './rule-file';
import { AlertFamily, MetricSource, PostgresAlerts, RunbookLinks, Severity } from '../../src';
import { JOB_KINDS } from '../../src/core/job-registry';

const ROOT = path.join(__dirname, '../..');
const RUNBOOKS = path.join(ROOT, 'runbooks');
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** Every alert the catalog can render: every family, both sources, an app with every kind of CronJob. */
function everyAlert(): Array<{ family: string; alert: string }> {
  const everyKind = { cronJobs: JOB_KINDS.map((kind) => ({ kind, name: `db-${kind}` })) };
  return [MetricSource.POSTGRES_EXPORTER, MetricSource.CNPG]
    .flatMap((source) => [...AlertFamily.all(source), AlertFamily.storage({ sizeLimit: Size.gibibytes(80) })])
    .concat(AlertFamily.patroni(), AlertFamily.pgpool())
    .flatMap((family) => family._render(everyKind).map((rule) => ({ family: family.name, alert: rule.name })));
}

describe('runbooks shipped in the package', () => {
  test('GIVEN every alert of the catalog WHEN its runbook is looked up THEN runbooks/<alert>.md exists and is titled with the alert', () => {
    // GIVEN
    const alerts = [...new Set(everyAlert().map((a) => a.alert))];
    // WHEN
    const missing = alerts.filter((alert) => !fs.existsSync(path.join(RUNBOOKS, `${alert}.md`)));
    // THEN
    expect(alerts.length).toBeGreaterThan(25);
    expect(missing).toEqual([]);
    for (const alert of alerts) expect(fs.readFileSync(path.join(RUNBOOKS, `${alert}.md`), 'utf8').split('\n')[0]).toBe(`# ${alert}`);
  });

  test('GIVEN the runbooks folder WHEN its files are listed THEN each is the runbook of an alert of the catalog (none orphaned), and its links resolve', () => {
    // GIVEN
    const alerts = new Set(everyAlert().map((a) => a.alert));
    // WHEN
    const files = fs.readdirSync(RUNBOOKS).filter((f) => f !== 'README.md');
    // THEN
    expect(files.filter((f) => !alerts.has(f.replace(/\.md$/, '')))).toEqual([]);
    const links = files.flatMap((f) => [...fs.readFileSync(path.join(RUNBOOKS, f), 'utf8').matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]));
    expect(links.filter((l) => !fs.existsSync(path.join(RUNBOOKS, l)))).toEqual([]);
  });

  test('GIVEN the default catalog WHEN rendered THEN every alert links to its runbook in the package at the installed version', () => {
    // GIVEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', { families: [...AlertFamily.all(), ...AlertFamily.all(MetricSource.CNPG).slice(0, 3)] });
    // WHEN
    const rules = ruleGroupsOf(alerts).flatMap((g: any) => g.rules);
    // THEN
    for (const rule of rules) {
      expect(rule.annotations.runbook_url).toBe(`https://unpkg.com/cdk8s-pg-reliability@${VERSION}/runbooks/${rule.alert}.md`);
    }
  });

  test('GIVEN an alert of your own and the packaged runbooks WHEN rendered THEN it gets no link (the package has no runbook for it) unless it names one', () => {
    // GIVEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', { families: [] });
    alerts.addAlert({ name: 'MineA', expr: 'up == 0', severity: Severity.INFO, summary: 's', description: 'd' });
    alerts.addAlert({ name: 'MineB', expr: 'up == 0', severity: Severity.INFO, summary: 's', description: 'd', runbookUrl: 'https://wiki.example.com/b' });
    // WHEN
    const [a, b] = ruleGroupsOf(alerts).flatMap((g: any) => g.rules);
    // THEN
    expect(a.annotations).toEqual({ summary: 's', description: 'd' });
    expect(b.annotations.runbook_url).toBe('https://wiki.example.com/b');
  });
});

describe('RunbookLinks', () => {
  test('GIVEN a base URL WHEN alerts link to it THEN each is <base>/<alert><suffix>, ".md" unless told otherwise', () => {
    // WHEN
    const md = RunbookLinks.baseUrl('https://github.com/acme/ops/blob/main/runbooks/');
    const wiki = RunbookLinks.baseUrl('https://wiki.example.com/db', { suffix: '' });
    // THEN
    expect(md.urlFor('PostgresInstanceDown', 'availability')).toBe('https://github.com/acme/ops/blob/main/runbooks/PostgresInstanceDown.md');
    expect(wiki.urlFor('PostgresInstanceDown', 'availability')).toBe('https://wiki.example.com/db/PostgresInstanceDown');
  });

  test('GIVEN a template WHEN alerts link to it THEN {alert} and {family} are filled in', () => {
    // GIVEN
    const links = RunbookLinks.template('https://wiki.example.com/db/{family}#{alert}');
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', { families: [AlertFamily.availability()], runbooks: links });
    // WHEN
    const [rule] = ruleGroupsOf(alerts).flatMap((g: any) => g.rules);
    // THEN
    expect(rule.annotations.runbook_url).toBe('https://wiki.example.com/db/availability#PostgresInstanceDown');
  });

  test('GIVEN bad links WHEN they are made THEN each is refused with what is expected', () => {
    // THEN
    expect(() => RunbookLinks.baseUrl('wiki/runbooks')).toThrow('[RunbookLinks.baseUrl] url: got "wiki/runbooks"; an absolute http or https URL');
    expect(() => RunbookLinks.baseUrl('https://a.example/x', { suffix: ' .md' })).toThrow('[RunbookLinks.baseUrl] suffix');
    expect(() => RunbookLinks.template('https://wiki.example.com/runbooks')).toThrow('an {alert} placeholder');
    expect(() => RunbookLinks.template('https://wiki.example.com/{alert}/{severity}')).toThrow('placeholders {alert} and {family} only (got {severity})');
    expect(() => RunbookLinks.template('ftp://wiki.example.com/{alert}')).toThrow('an absolute http or https URL');
  });
});
