import * as path from 'path';
import { Size } from 'cdk8s';
import * as fc from 'fast-check';
import { runUnchecked, serviceTempDir, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { JOB_KINDS } from '../../src/core/job-registry';
import { AlertFamily, MetricSource } from '../../src/monitoring/alerts';
import { promqlProblems } from '../../src/monitoring/alerts/promql-syntax';

jest.setTimeout(120_000);

const dir = serviceTempDir('promql-promtool');
afterAll(() => dir.remove());

/** Expressions Prometheus accepts: every construct the catalog and a user are likely to write. */
const VALID = [
  'up == 0', 'pg_up{instance="a:9187"} == 0', 'sum by (a) (rate(x_total[5m])) / on (a) group_left (b) max by (a, b) (y)', 'topk(3, x)',
  'bottomk(1, x)', 'quantile(0.9, x)', 'count_values("v", x)', 'x > bool 1', '1 < bool 2', 'x offset -5m', 'rate(x[5m] offset 1h)',
  'x @ start()', 'x @ 1700000000', 'max_over_time(rate(x[1m])[1h:5m])', 'max_over_time(x[1h:])', 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))',
  'label_replace(x, "a", "$1", "b", "(.*)")', 'label_join(x, "a", ",", "b", "c")', 'label_join(x, "a", ",")', 'absent(x{job="a"})',
  'absent_over_time(x[1h])', 'time() - x > 3600', 'Sum BY (a) (x)', 'x # a comment\n  and y', '{__name__="x"}', 'vector(1)', 'scalar(x) > bool 1',
  'day_of_week()', 'day_of_week(x)', 'x{a!=""}', 'rate(x[1h30m] offset 1w)', '-x', '+x', 'inf', '-Inf', 'NaN', '0x1F', '1e3', '.5', 'x ^ 2 % 3',
  'x atan2 y', 'x unless on (a) y', 'x or ignoring (a) y', 'x / ignoring (a) group_right y', 'sum(x) by (a)', 'sum without (a) (x)', 'count(x) without ()',
  'predict_linear(x[6h], 3600) > 0', 'clamp(x, 0, 1)', 'clamp_min(x, 0)', 'round(x)', 'round(x, 0.5)', 'sort_desc(x)', 'timestamp(x)',
  'histogram_fraction(0, 0.2, x)', 'histogram_count(x)', 'quantile_over_time(0.5, x[5m])', 'changes(x[1h]) > 3', 'increase(x[10m]) > 0',
  'x{a=~"b|c", d!~"e.*"}', 'x{a=\'b\'}', 'x{a=`b\\d`}', 'x{a="\\\\d"}', 'x{a="b",}', 'sum by (a,) (x)', 'group(x)', 'stddev(x) > stdvar(x)',
  'avg(x) == bool avg(y)', '(x)', '((x + 1) * 2)', 'x > 1 < 3', 'x == on () group_left () y', '1 + on () x', 'pi() * x', 'sgn(x)', 'deg(x) + rad(x)',
];

/** Expressions both refuse, one per error class. */
const INVALID = [
  'sum(x) by (a) without (b)', 'rate(x[5m]) >', 'x{a="b\\"}', 'x{a.b="c"}', 'sum by (a.b) (x)', 'x / on(a-b) y', 'x / ignoring(a.b) y',
  'sum without (a.b) (x)', 'x{"a.b"="c"}', 'foo(x)', 'RATE(x[5m])', 'histogram_avg(x)', 'histogram_stddev(x)', 'sort_by_label(x, "a")', 'limitk(2, x)',
  'rate(x)', 'round(x, 1, 2)', 'time(1)', 'vector(x)', 'scalar(1)', 'topk(x)', 'sum(x, 1)', 'count_values(1, x)', 'quantile("a", x)', 'sum(x[5m])',
  '1 > 2', 'x + bool 1', 'x and 1', 'x and on(a) group_left y', 'x / on(a) group_left(a) y', '1 + on(a) x', '"a" + 1', '-"a"', 'rate((x)[5m])',
  'rate(x offset 5m [5m])', '(x) offset 5m', 'x offset 5m offset 1m', 'x @ 1 @ 2', 'max_over_time(1[5m:])', 'rate(x[5])', 'rate(x[0s])',
  'rate(x[5m+1m])', 'x > 5m', 'x > 1_000', '{}', '{a=""}', '{a=~".*"}', 'x{__name__="y"}', 'x{__name__=~"a|b"}', 'x{a="\\d"}', 'x{a=~"("}',
  'x{a=~"(?=b)"}', 'sum(', 'x ==', 'x{a="b}', 'rate(x[5m]', 'x[5m', 'sum by (a) x', 'day_of_week(x, x)', 'x offset 5', 'x > 0x',
];

/** Expressions promtool 2.42 loads but Prometheus cannot evaluate as a rule: ours refuses them, on purpose. */
const STRICTER = ['x[5m]', '"foo"', 'rate(x[5m])[10m:]', 'x[5m] offset 1h'];

function catalogExpressions(): string[] {
  const everyKind = { cronJobs: JOB_KINDS.map((kind) => ({ kind, name: `db-${kind}` })) };
  const families = [MetricSource.POSTGRES_EXPORTER, MetricSource.CNPG]
    .flatMap((source) => [...AlertFamily.all(source), AlertFamily.storage({ sizeLimit: Size.gibibytes(80) })]);
  return [...new Set(families.flatMap((f) => f._render(everyKind).map((r) => r.expr)))];
}

/** Small edits that turn valid PromQL into near misses: the cases a grammar is most likely to get wrong. */
const PIECES = ['(', ')', '[5m]', '[5m:]', ' by (a)', ',', ' offset 5m', ' bool ', '"', '{a="b"}', ' and ', ' or on(a) ', '1', 'rate(', ' @ 1 ', '-', '.',
  ' group_left(a) ', ' without ', 'sum', '5m', '==', '{', '}', ']', '!', '~', 'e', '_', ' ', '#', '\\', 'x', '0'];
const mutant = (seeds: string[]) => fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...PIECES), fc.boolean())
  .map(([seed, at, cut, piece, insert]) => {
    const i = at % (seed.length + 1);
    return seed.slice(0, i) + (insert ? piece : '') + seed.slice(i + cut);
  });

/** promtool's verdict on each expression: undefined when accepted, else its message. One run for all. */
function promtool(exprs: readonly string[], name: string): Array<string | undefined> {
  const file = path.join(dir.path, `${name}.yml`);
  writeServiceFile(file, JSON.stringify({ groups: exprs.map((expr, i) => ({ name: `g${i}`, rules: [{ alert: 'A', expr }] })) }));
  const result = runUnchecked(program('promtool'), ['check', 'rules', file]);
  const output = `${result.stdout}${result.stderr}`;
  const refused = new Map<number, string>();
  for (const match of output.matchAll(/group "g(\d+)", rule 1, "A": (.*)/g)) refused.set(Number(match[1]), match[2]);
  if (result.status !== 0 && refused.size === 0) throw new Error(`promtool failed on the file itself:\n${output}`);
  return exprs.map((_, i) => refused.get(i));
}

describe('#12 the PromQL check agrees with promtool check rules (Prometheus 2.42, Debian 12)', () => {
  test('#12 valid expressions and the whole catalog: accepted by both', () => {
    const exprs = [...VALID, ...catalogExpressions()];
    const verdicts = promtool(exprs, 'valid');
    const disagreements = exprs.map((e, i) => ({ expr: e, ours: promqlProblems(e), promtool: verdicts[i] }))
      .filter((c) => c.ours.length > 0 || c.promtool);
    expect(disagreements).toEqual([]);
    console.log(`#12 valid: ${exprs.length} expressions (${exprs.length - VALID.length} from the catalog) accepted by both`);
  });

  test('#12 each invalid expression (one per error class) is refused by both', () => {
    const verdicts = promtool(INVALID, 'invalid');
    const disagreements = INVALID.map((e, i) => ({ expr: e, ours: promqlProblems(e), promtool: verdicts[i] }))
      .filter((c) => c.ours.length === 0 || !c.promtool);
    expect(disagreements).toEqual([]);
    console.log(`#12 invalid: ${INVALID.length} expressions refused by both`);
  });

  test('#12 stricter on purpose: a range vector or a string as the rule\'s value is refused by ours, loaded by promtool', () => {
    const verdicts = promtool(STRICTER, 'stricter');
    for (const [i, expr] of STRICTER.entries()) {
      expect([expr, verdicts[i]]).toEqual([expr, undefined]);
      expect(promqlProblems(expr).join()).toMatch(/must return an instant vector or a scalar/);
    }
  });

  test('#12 property: of 1500 near misses of valid expressions, every one ours accepts, promtool accepts too', () => {
    const exprs = [...new Set(fc.sample(mutant([...VALID, ...catalogExpressions()]), { numRuns: Number(process.env.PROMQL_RUNS ?? 1500), seed: Number(process.env.PROMQL_SEED ?? 1212) }))].filter((e) => e.trim() !== '');
    const verdicts = promtool(exprs, 'mutants');
    const counts = { cases: exprs.length, bothAccept: 0, bothRefuse: 0, onlyOursRefuses: 0, onlyPromtoolRefuses: 0 };
    const unsound: Array<{ expr: string; promtool: string }> = [];
    const stricter: string[] = [];
    exprs.forEach((expr, i) => {
      const ours = promqlProblems(expr).length === 0;
      const theirs = verdicts[i] === undefined;
      const verdict = ours && theirs ? 'bothAccept' : !ours && !theirs ? 'bothRefuse' : ours ? 'onlyPromtoolRefuses' : 'onlyOursRefuses';
      counts[verdict]++;
      if (verdict === 'onlyPromtoolRefuses') unsound.push({ expr, promtool: verdicts[i]! });
      if (verdict === 'onlyOursRefuses') stricter.push(expr);
    });
    console.log(`#12 near misses: ${JSON.stringify(counts)}\n  refused only by ours (sample):\n  ${JSON.stringify(stricter.slice(0, 15))}`);
    expect(unsound).toEqual([]);
    expect(counts.bothRefuse).toBeGreaterThan(exprs.length / 4);
  });
});
