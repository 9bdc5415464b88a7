import { ApiObject, JsonPatch, Size, Testing } from 'cdk8s';
import { AlertFamily, MetricSource, PostgresAlerts, Severity } from '../../src';
import { promqlProblems } from '../../src/monitoring/alerts/promql-syntax';

/** One expression per error class, and the words its message must contain. */
const ERROR_CLASSES: Array<[string, string, string | RegExp]> = [
  ['syntax: unexpected token', 'sum(x) by (a) without (b)', 'PromQL 1:15: unexpected "without"'],
  ['syntax: unexpected end', 'rate(x[5m]) >', 'PromQL 1:14: unexpected end of expression'],
  ['syntax: string not closed', 'x{a="b\\"}', /is not closed/],
  ['label name with a dot, in a matcher', 'x{a.b="c"}', 'PromQL 1:4: unexpected "."'],
  ['label name with a dot, in by', 'sum by (a.b) (x)', 'PromQL 1:10: unexpected "."'],
  ['label name with a dash, in on', 'x / on(a-b) y', 'PromQL 1:9: unexpected "-"'],
  ['label name with a dot, in ignoring', 'x / ignoring(a.b) y', 'unexpected "."'],
  ['label name with a dot, in without', 'sum without (a.b) (x)', 'unexpected "."'],
  ['quoted label name (Prometheus 3 only)', 'x{"a.b"="c"}', 'quoted label names are Prometheus 3 only'],
  ['unknown function', 'foo(x)', 'unknown function "foo"'],
  ['function name case', 'RATE(x[5m])', 'unknown function "RATE" (function names are lower case: rate)'],
  ['function newer than the baseline', 'histogram_avg(x)', 'function "histogram_avg" is newer than Prometheus 2.42'],
  ['function removed in Prometheus 3', 'holt_winters(x[5m], 0.5, 0.5)', 'was removed in Prometheus 3'],
  ['experimental function', 'sort_by_label(x, "a")', 'promql-experimental-functions'],
  ['experimental aggregation', 'limitk(2, x)', 'aggregation "limitk" needs the promql-experimental-functions'],
  ['argument type', 'rate(x)', 'expected type range vector in call to function "rate", got instant vector'],
  ['argument count', 'round(x, 1, 2)', 'expected at most 2 argument(s) in call to "round", got 3'],
  ['aggregation without its parameter', 'topk(x)', 'wrong number of arguments for aggregate expression provided, expected 2, got 1'],
  ['aggregation parameter type', 'count_values(1, x)', 'expected type string in aggregation parameter, got scalar'],
  ['aggregation of a range', 'sum(x[5m])', 'expected type instant vector in aggregation expression, got range vector'],
  ['comparison of scalars without bool', '1 > 2', 'comparisons between scalars must use BOOL modifier'],
  ['bool on arithmetic', 'x + bool 1', 'bool modifier can only be used on comparison operators'],
  ['set operator with a scalar', 'x and 1', 'set operator "and" not allowed in binary scalar expression'],
  ['grouping on a set operator', 'x and on(a) group_left y', 'no grouping allowed for "and" operation'],
  ['label in on and group_left', 'x / on(a) group_left(a) y', 'label "a" must not occur in ON and GROUP clause at once'],
  ['vector matching with a scalar', '1 + on(a) x', 'vector matching only allowed between instant vectors'],
  ['binary operand type', '"a" + 1', 'binary expression must contain only scalar and instant vector types'],
  ['unary on a string', '-"a"', 'unary expression only allowed on expressions of type scalar or instant vector'],
  ['range of a non-selector', 'rate((x)[5m])', 'ranges only allowed for vector selectors'],
  ['offset before a range', 'rate(x offset 5m [5m])', 'no offset modifiers allowed before a range'],
  ['offset of a non-selector', '(x) offset 5m', 'offset modifier must be preceded by'],
  ['offset twice', 'x offset 5m offset 1m', 'offset may not be set multiple times'],
  ['@ twice', 'x @ 1 @ 2', '@ <timestamp> may not be set multiple times'],
  ['subquery of a scalar', 'max_over_time(1[5m:])', 'subquery is only allowed on instant vector, got scalar instead'],
  ['duration without a unit', 'rate(x[5])', '"5" is no duration'],
  ['zero range', 'rate(x[0s])', 'duration must be greater than 0'],
  ['duration arithmetic', 'rate(x[5m+1m])', 'duration arithmetic needs a Prometheus feature flag'],
  ['duration as a number', 'x > 5m', '"5m": a duration where a number is expected'],
  ['digit separators', 'x > 1_000', 'digit separators are newer than Prometheus 2.42'],
  ['selector of everything', '{a=~".*"}', 'vector selector must contain at least one non-empty matcher'],
  ['metric name twice', 'x{__name__="y"}', 'metric name must not be set twice'],
  ['a range as the rule value', 'x[5m]', "a rule's expression must return an instant vector or a scalar, not a range vector"],
  ['bad string escape', 'x{a="\\d"}', '"\\d" at 5 is no escape'],
  ['regex RE2 refuses', 'x{a=~"(?=b)"}', 'RE2 syntax'],
];

describe('#12 PromQL checked with Prometheus\' grammar (lezer-promql) and its type rules', () => {
  test.each(ERROR_CLASSES)('#12 %s: %s', (_what, expr, message) => {
    // GIVEN / WHEN
    const problems = promqlProblems(expr);
    // THEN
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toEqual(typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message));
  });

  test('#12 valid expressions of every kind pass', () => {
    // GIVEN each expression below WHEN checked THEN it has no problem
    for (const expr of [
      'up == 0', 'sum by (a) (rate(x_total[5m])) / on (a) group_left (b) max by (a, b) (y)', 'topk(3, x)', 'quantile(0.9, x)',
      'count_values("v", x)', 'x > bool 1', '1 < bool 2', 'x offset -5m', 'rate(x[5m] offset 1h)', 'x @ start()', 'max_over_time(rate(x[1m])[1h:5m])',
      'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))', 'label_replace(x, "a", "$1", "b", "(.*)")', 'label_join(x, "a", ",", "b", "c")',
      'absent(x{job="a"})', 'time() - x > 3600', 'Sum BY (a) (x)', 'x # a comment\n  and y', '{__name__="x"}', 'vector(1)', 'day_of_week()',
      'x{a!=""}', 'rate(x[1h30m] offset 1w)', '-x', 'inf', '0x1F', '1e3',
    ]) expect([expr, promqlProblems(expr)]).toEqual([expr, []]);
  });

  test('#12 every error node becomes a message with its position and the text around it', () => {
    // GIVEN the inputs below WHEN each is checked THEN:
    expect(promqlProblems('sum(rate(x[5m]) by (a)) +\n  (b ==)')).toEqual([
      'PromQL 1:17: unexpected "by" (near "sum(rate(x[5m]) by (a)) + (b ==)")',
      'PromQL 1:20: unexpected "(" (near "sum(rate(x[5m]) by (a)) + (b ==)")',
      'PromQL 2:8: unexpected ")" (near "…]) by (a)) + (b ==)")',
    ]);
    expect(promqlProblems('x{a="b"} + foo(y) + bar(z)')).toEqual([
      expect.stringContaining('PromQL 1:12: unknown function "foo"'), expect.stringContaining('PromQL 1:21: unknown function "bar"'),
    ]);
  });

  test('#12 the grammar is loaded on first use, not when the library is imported', () => {
    // GIVEN / WHEN
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('@prometheus-io/lezer-promql', () => {
        loaded = true;
        return jest.requireActual('@prometheus-io/lezer-promql');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../src');
      // THEN
      expect(loaded).toBe(false);
      // WHEN
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../src/monitoring/alerts/promql-syntax').promqlProblems('up');
      // THEN
      expect(loaded).toBe(true);
    });
  });
});

describe('#12 every PrometheusRule the library emits is checked at synth', () => {
  const ALERT = { name: 'MyAlert', severity: Severity.WARNING, summary: 's', description: 'd' };

  test('#12 the whole catalog, with either source, parses and type-checks', () => {
    for (const source of [MetricSource.POSTGRES_EXPORTER, MetricSource.CNPG]) {
      // GIVEN
      const chart = Testing.chart();
      new PostgresAlerts(chart, 'Alerts', { families: [...AlertFamily.all(source), AlertFamily.storage({ sizeLimit: Size.gibibytes(80) })] });
      // WHEN
      const rules = Testing.synth(chart)[0].spec.groups.flatMap((g: any) => g.rules);
      // THEN
      expect(rules.length).toBeGreaterThan(15);
      for (const rule of rules) expect([rule.alert, promqlProblems(rule.expr)]).toEqual([rule.alert, []]);
    }
  });

  test('#12 addAlert with a type error is refused when added, naming the alert, the field and the problem', () => {
    // GIVEN / WHEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts');
    // THEN
    expect(() => alerts.addAlert({ ...ALERT, expr: 'rate(pg_up) > 0' }))
      .toThrow('[test/Alerts] addAlert(MyAlert).expr: got "rate(pg_up) > 0"; PromQL 1:6: expected type range vector in call to function "rate"');
    expect(() => AlertFamily.custom('mine', [{ ...ALERT, expr: 'sum(x) > 1 > 2 +' }])).toThrow('AlertFamily.custom(mine).rules[0]] MyAlert.expr: got "sum(x) > 1 > 2 +"; PromQL 1:17: unexpected end');
  });

  test('#12 an expression patched in through the escape hatch fails synth, naming the object, the field, the alert and the problem', () => {
    // GIVEN / WHEN
    const chart = Testing.chart();
    const alerts = new PostgresAlerts(chart, 'Alerts', { families: [AlertFamily.availability()] });
    alerts.addAlert({ ...ALERT, expr: 'pg_up == 0' });
    ApiObject.of(alerts.resource).addJsonPatch(JsonPatch.replace('/spec/groups/1/rules/0/expr', 'RATE(pg_up[5m]) > 0'));
    ApiObject.of(alerts.resource).addJsonPatch(JsonPatch.add('/spec/groups/1/rules/0/labels/team.name', 'db'));
    // THEN
    expect(() => Testing.synth(chart)).toThrow(/PrometheusRule "[^"]+" spec\.groups\[1\]\.rules\[0\]\.expr \(alert "MyAlert"\): PromQL 1:1: unknown function "RATE"/);
    expect(() => Testing.synth(chart)).toThrow(/spec\.groups\[1\]\.rules\[0\]\.labels \(alert "MyAlert"\): "team\.name" is not a Prometheus label name/);
  });
});
