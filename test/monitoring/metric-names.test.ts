import { Size } from 'cdk8s';
import { AlertFamily, MetricSource } from '../../src';
import { JOB_KINDS } from '../../src/core/job-registry';
import { metricNamesIn } from '../../src/monitoring/alerts/promql-syntax';
import { METRICS } from '../../src/monitoring/metrics';

/** Every family of the catalog, with either source, rendered as if the app had every kind of CronJob. */
function catalog() {
  const everyKind = { cronJobs: JOB_KINDS.map((kind) => ({ kind, name: `db-${kind}` })) };
  return [MetricSource.POSTGRES_EXPORTER, MetricSource.CNPG]
    .flatMap((source) => [...AlertFamily.all(source), AlertFamily.storage({ sizeLimit: Size.gibibytes(80) })])
    .concat(AlertFamily.pgpool())
    .flatMap((family) => family._render(everyKind).map((rule) => ({ family, rule })));
}

/** A name a source exports, or a histogram's or summary's series of a name it lists. */
function exported(name: string, lists: ReadonlyArray<readonly string[]>): boolean {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return lists.some((list) => list.includes(name) || list.includes(base));
}

describe('#12 every metric the catalog selects is one its family\'s sources export', () => {
  test('#12 each source\'s list is non-empty, sorted and without repeats', () => {
    // GIVEN each source's list WHEN read THEN
    for (const [source, names] of Object.entries(METRICS)) {
      expect([source, names.length > 0]).toEqual([source, true]);
      expect([source, [...names]]).toEqual([source, [...new Set(names)].sort()]);
    }
  });

  test('#12 every family declares its sources, and every metric name of every rule is in one of their lists', () => {
    // GIVEN / WHEN
    const unknown: string[] = [];
    const rules = catalog();
    for (const { family, rule } of rules) {
      expect([family.name, family._sources.length > 0]).toEqual([family.name, true]);
      // Names recorded by rules of the catalog itself would count as exported too; it has none today.
      const lists = family._sources.map((s) => METRICS[s]);
      for (const name of metricNamesIn(rule.expr)) {
        if (!exported(name, lists)) unknown.push(`${family.name}/${rule.name}: ${name} (sources: ${family._sources.join(', ')})`);
      }
    }
    // THEN
    expect(unknown).toEqual([]);
    expect(rules.length).toBeGreaterThan(30);
  });

  test('#12 metric names are read from the parse tree: selectors and __name__ matchers, not strings or labels', () => {
    // GIVEN the inputs below WHEN each is checked THEN:
    expect(metricNamesIn('sum by (le) (rate(h_bucket{job="x_total"}[5m])) / on (a) {__name__="y"} > bool count(z offset 5m)'))
      .toEqual(['h_bucket', 'y', 'z']);
  });
});
