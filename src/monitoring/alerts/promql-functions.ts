/**
 * The PromQL functions and aggregations a rule may use, with their argument types: those every
 * Prometheus from 2.42 (Debian 12's, the contract tests' promtool) to 3.x evaluates without a
 * feature flag. The library cannot know which Prometheus loads the rules; a rule file one of them
 * refuses fails as a whole, so the checker holds rules to what all of them accept.
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 */

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export interface Signature {
  readonly args: readonly ValueType[];
  /** How many trailing arguments may be left out; `repeat` when the last may also repeat. */
  readonly optional?: number | 'repeat';
  readonly returns: ValueType;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

const of = (args: ValueType[], returns: ValueType = V, optional?: number | 'repeat'): Signature => ({ args, returns, optional });
const each = <T>(names: string, value: T) => names.split(' ').map((name): [string, T] => [name, value]);

export const FUNCTIONS: ReadonlyMap<string, Signature> = new Map([
  ...each('abs ceil exp floor ln log2 log10 sqrt sgn deg rad acos acosh asin asinh atan atanh cos cosh sin sinh tan tanh '
    + 'absent sort sort_desc timestamp histogram_count histogram_sum', of([V])),
  ...each('absent_over_time present_over_time avg_over_time count_over_time last_over_time max_over_time min_over_time '
    + 'stddev_over_time stdvar_over_time sum_over_time changes delta deriv idelta increase irate rate resets', of([M])),
  // Calendar functions read time() when called without an argument.
  ...each('days_in_month day_of_month day_of_week day_of_year hour minute month year', of([V], V, 1)),
  ['clamp', of([V, S, S])],
  ['clamp_max', of([V, S])],
  ['clamp_min', of([V, S])],
  ['histogram_fraction', of([S, S, V])],
  ['histogram_quantile', of([S, V])],
  ['label_join', of([V, STR, STR, STR], V, 'repeat')],
  ['label_replace', of([V, STR, STR, STR, STR])],
  ['pi', of([], S)],
  ['predict_linear', of([M, S])],
  ['quantile_over_time', of([S, M])],
  ['round', of([V, S], V, 1)],
  ['scalar', of([V], S)],
  ['time', of([], S)],
  ['vector', of([S])],
]);

/** Functions the grammar knows that some supported Prometheus refuses, and why. */
export const UNPORTABLE_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ...each('histogram_avg histogram_stddev histogram_stdvar', 'is newer than Prometheus 2.42'),
  ['holt_winters', 'was removed in Prometheus 3 (renamed double_exponential_smoothing, behind a feature flag)'],
  ...each('double_exponential_smoothing sort_by_label sort_by_label_desc info mad_over_time first_over_time histogram_quantiles '
    + 'ts_of_first_over_time ts_of_last_over_time ts_of_max_over_time ts_of_min_over_time limitk limit_ratio',
  'needs the promql-experimental-functions feature flag'),
  ...each('start end range step start_timestamp min_of max_of', 'needs the promql-duration-expr feature flag'),
]);

/** Aggregation operators and the type of their leading parameter, if they take one. */
export const AGGREGATIONS: ReadonlyMap<string, ValueType | undefined> = new Map([
  ...each('sum avg min max count group stddev stdvar', undefined),
  ...each('topk bottomk quantile', S),
  ['count_values', STR],
]);

/** How Prometheus names a type in its messages. */
export function typeName(type: ValueType): string {
  return { scalar: 'scalar', vector: 'instant vector', matrix: 'range vector', string: 'string' }[type];
}
