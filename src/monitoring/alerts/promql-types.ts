/**
 * What Prometheus' Go parser checks after the grammar and lezer's does not: value types of
 * function and aggregation arguments and of operands, modifiers only where they apply, selectors
 * that select something, durations with units. Messages follow Prometheus' wording where it is
 * clear, so a user can search for them. Constructs the grammar accepts that need a feature flag or
 * a newer Prometheus are refused too (see promql-functions.ts).
 */
import { AGGREGATIONS, FUNCTIONS, UNPORTABLE_FUNCTIONS, ValueType, typeName } from './promql-functions';
import { Problem, SyntaxNode, children, stringValue } from './promql-tree';

const EXPRESSIONS = new Set(['AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral', 'OffsetExpr', 'AnchoredExpr',
  'SmoothedExpr', 'ParenExpr', 'StringLiteral', 'SubqueryExpr', 'UnaryExpr', 'VectorSelector', 'StepInvariantExpr']);
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);
const DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
const EXPERIMENTAL = 'needs a Prometheus feature flag (not in every Prometheus the rules may run on)';

/** The problems of a tree that parsed without errors; the rule's value must be a vector or a scalar. */
export function checkTypes(expr: string, root: SyntaxNode): Problem[] {
  const checker = new TypeChecker(expr);
  const top = exprsOf(root)[0];
  const type = top && checker.typeOf(top);
  if (type === 'matrix' || type === 'string') {
    checker.report(top, `a rule's expression must return an instant vector or a scalar, not a ${typeName(type)} (Prometheus would fail every evaluation)`);
  }
  return checker.problems;
}

function exprsOf(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((c) => EXPRESSIONS.has(c.name));
}

/** An operand as postfix operators see it: `[5m]` needs a plain selector, `offset` and `@` a selector or subquery, once. */
interface Operand {
  readonly type?: ValueType;
  readonly kind: 'selector' | 'range' | 'subquery' | 'other';
  readonly offset?: boolean;
  readonly at?: boolean;
}

class TypeChecker {
  public readonly problems: Problem[] = [];
  constructor(private readonly expr: string) {}

  public report(node: SyntaxNode, message: string): void {
    this.problems.push({ from: node.from, to: node.to, message });
  }

  /**
   * The value type of an expression node, or undefined when it is unknown (already reported).
   * `pending` are postfix operators (`[5m]`, `[1h:]`, `offset`, `@`) still to apply: lezer hangs
   * them on the whole binary or unary expression before them, Prometheus on its last operand
   * (`x - x offset 1d` is `x - (x offset 1d)`), so they are handed down to that operand.
   */
  public typeOf(node: SyntaxNode, pending: SyntaxNode[] = []): ValueType | undefined {
    return this.operand(node, pending).type;
  }

  private operand(node: SyntaxNode, pending: SyntaxNode[]): Operand {
    switch (node.name) {
      case 'OffsetExpr': case 'StepInvariantExpr': case 'MatrixSelector': case 'SubqueryExpr':
        return this.operand(exprsOf(node)[0], [node, ...pending]);
      case 'BinaryExpr': return { type: this.binary(node, pending), kind: 'other' };
      case 'UnaryExpr': return { type: this.unary(node, pending), kind: 'other' };
      default: return pending.reduce((base, postfix) => this.postfix(base, postfix), this.primary(node));
    }
  }

  private primary(node: SyntaxNode): Operand {
    switch (node.name) {
      case 'NumberDurationLiteral': return { type: this.number(node), kind: 'other' };
      case 'StringLiteral': return { type: 'string', kind: 'other' };
      case 'VectorSelector': return { type: this.selector(node), kind: 'selector' };
      case 'ParenExpr': return { type: this.typeOf(exprsOf(node)[0]), kind: 'other' };
      case 'FunctionCall': return { type: this.call(node), kind: 'other' };
      case 'AggregateExpr': return { type: this.aggregate(node), kind: 'other' };
      case 'AnchoredExpr': case 'SmoothedExpr':
        this.report(node, `the ${node.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'} modifier ${EXPERIMENTAL}`);
        return { kind: 'other' };
      default: return { kind: 'other' };
    }
  }

  private postfix(base: Operand, node: SyntaxNode): Operand {
    const durations = children(node).filter((c) => c.name === 'DurationExpr');
    if (node.name === 'MatrixSelector') {
      if (base.offset || base.at) this.report(node, `no ${base.offset ? 'offset' : '@'} modifiers allowed before a range: write x[5m] offset 1h`);
      else if (base.kind !== 'selector') this.report(node, 'ranges only allowed for vector selectors (use a subquery, e.g. (expr)[5m:], for other expressions)');
      this.duration(durations[0], true);
      return { type: 'matrix', kind: 'range' };
    }
    if (node.name === 'SubqueryExpr') {
      if (base.type && base.type !== 'vector') this.report(node, `subquery is only allowed on instant vector, got ${typeName(base.type)} instead`);
      this.duration(durations[0], true);
      if (durations[1]) this.duration(durations[1], false);
      return { type: 'matrix', kind: 'subquery' };
    }
    const offset = node.name === 'OffsetExpr';
    const what = offset ? 'offset' : '@';
    if (base.kind === 'other') this.report(node, `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
    else if (offset ? base.offset : base.at) this.report(node, offset ? 'offset may not be set multiple times' : '@ <timestamp> may not be set multiple times');
    const duration = children(node).find((c) => c.name === 'OffsetDurationExpr');
    if (duration) this.offset(duration);
    const at = children(node).find((c) => c.name === 'NumberDurationLiteral');
    if (at) this.number(at);
    return { ...base, ...(offset ? { offset: true } : { at: true }) };
  }

  private text(node: SyntaxNode): string {
    return this.expr.slice(node.from, node.to);
  }

  private number(node: SyntaxNode): ValueType {
    const text = this.text(node).replace(/^[+-]\s*/, '');
    if (text.includes('_')) this.report(node, `"${text}": digit separators are newer than Prometheus 2.42`);
    else if (/[a-z]$/i.test(text) && DURATION.test(text) && !/^(inf|nan)$/i.test(text)) this.report(node, `"${text}": a duration where a number is expected (write seconds, e.g. 300)`);
    else if (!/^(inf|nan)$/i.test(text) && !Number.isFinite(Number(text))) this.report(node, `"${text}": number out of range`);
    return 'scalar';
  }

  private selector(node: SyntaxNode): ValueType {
    const named = node.firstChild?.name === 'Identifier';
    const matchers = children(node).find((c) => c.name === 'LabelMatchers');
    let selective = named;
    for (const matcher of matchers ? children(matchers) : []) {
      if (matcher.name !== 'UnquotedLabelMatcher') {
        this.report(matcher, 'quoted label names are Prometheus 3 only: use a plain label name');
        continue;
      }
      const [label, op, value] = children(matcher);
      const name = this.text(label);
      const operator = this.text(op);
      if (named && name === '__name__') this.report(matcher, `metric name must not be set twice: "${this.text(node.firstChild!)}" and a __name__ matcher`);
      if (!matchesEmpty(operator, stringValue(this.text(value)))) selective = true;
    }
    if (!selective) this.report(node, 'vector selector must contain at least one non-empty matcher (it would select every series)');
    return 'vector';
  }

  private unary(node: SyntaxNode, pending: SyntaxNode[]): ValueType | undefined {
    const type = this.typeOf(exprsOf(node)[0], pending);
    if (type === 'matrix' || type === 'string') this.report(node, `unary expression only allowed on expressions of type scalar or instant vector, got ${typeName(type)}`);
    return type;
  }

  private offset(node: SyntaxNode): void {
    const [first, second] = children(node);
    if (first.name === 'UnaryOp' && second?.name === 'OffsetDurationExpr' && second.firstChild?.name !== 'UnaryOp') this.offset(second);
    else if (first.name === 'NumberDurationLiteralInDurationContext' && !second) this.durationLiteral(first, true);
    else this.report(node, `duration arithmetic ${EXPERIMENTAL}: write a duration such as 5m`);
  }

  private duration(node: SyntaxNode, positive: boolean): void {
    const parts = children(node);
    if (parts.length === 1 && parts[0].name === 'NumberDurationLiteralInDurationContext') this.durationLiteral(parts[0], positive);
    else this.report(node, `duration arithmetic ${EXPERIMENTAL}: write a duration such as 5m`);
  }

  private durationLiteral(node: SyntaxNode, positive: boolean): void {
    const text = this.text(node);
    if (!DURATION.test(text) || /^\d+$/.test(text)) this.report(node, `"${text}" is no duration: a number with a unit (ms, s, m, h, d, w, y), e.g. 5m`);
    else if (positive && !/[1-9]/.test(text)) this.report(node, 'duration must be greater than 0');
  }

  private call(node: SyntaxNode): ValueType | undefined {
    const name = this.text(node.firstChild!);
    const args = exprsOf(children(node).find((c) => c.name === 'FunctionCallBody')!);
    const types = args.map((arg) => this.typeOf(arg));
    const signature = FUNCTIONS.get(name);
    if (!signature) {
      this.report(node.firstChild!, `function "${name}" ${UNPORTABLE_FUNCTIONS.get(name) ?? 'is unknown'}`);
      return undefined;
    }
    const max = signature.optional === 'repeat' ? Infinity : signature.args.length;
    const min = signature.args.length - (signature.optional === 'repeat' ? 1 : signature.optional ?? 0);
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : args.length > max ? `at most ${max}` : `at least ${min}`;
      this.report(node, `expected ${expected} argument(s) in call to "${name}", got ${args.length}`);
      return signature.returns;
    }
    args.forEach((arg, i) => {
      const wanted = signature.args[Math.min(i, signature.args.length - 1)];
      if (types[i] && types[i] !== wanted) this.report(arg, `expected type ${typeName(wanted)} in call to function "${name}", got ${typeName(types[i]!)}`);
    });
    return signature.returns;
  }

  private aggregate(node: SyntaxNode): ValueType {
    const op = this.text(children(node).find((c) => c.name === 'AggregateOp')!).toLowerCase();
    const modifier = children(node).find((c) => c.name === 'AggregateModifier');
    if (modifier) this.groupingLabels(modifier);
    const args = exprsOf(children(node).find((c) => c.name === 'FunctionCallBody')!);
    const types = args.map((arg) => this.typeOf(arg));
    if (!AGGREGATIONS.has(op)) {
      this.report(node, `aggregation "${op}" ${UNPORTABLE_FUNCTIONS.get(op) ?? 'is unknown'}`);
      return 'vector';
    }
    const parameter = AGGREGATIONS.get(op);
    const expected = parameter ? 2 : 1;
    if (args.length !== expected) {
      this.report(node, `wrong number of arguments for aggregate expression provided, expected ${expected}, got ${args.length}`);
      return 'vector';
    }
    if (parameter && types[0] && types[0] !== parameter) this.report(args[0], `expected type ${typeName(parameter)} in aggregation parameter, got ${typeName(types[0])}`);
    const last = types[args.length - 1];
    if (last && last !== 'vector') this.report(args[args.length - 1], `expected type instant vector in aggregation expression, got ${typeName(last)}`);
    return 'vector';
  }

  /** Label names of `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`. */
  private groupingLabels(node: SyntaxNode): string[] {
    const names: string[] = [];
    for (const group of children(node).filter((c) => c.name === 'GroupingLabels')) {
      for (const label of children(group)) {
        if (label.name === 'QuotedLabelName') this.report(label, 'quoted label names are Prometheus 3 only: use a plain label name');
        names.push(this.text(label));
      }
    }
    return names;
  }

  private binary(node: SyntaxNode, pending: SyntaxNode[]): ValueType | undefined {
    const parts = children(node);
    const [left, right] = exprsOf(node);
    const op = parts[1];
    const lt = this.typeOf(left);
    const rt = this.typeOf(right, pending);
    const bool = parts.some((p) => p.name === 'BoolModifier');
    const matching = parts.find((p) => p.name === 'MatchingModifierClause');
    const operator = this.text(op).toLowerCase();
    if (op.name === 'TrimUpper' || op.name === 'TrimLower') this.report(op, `the "${operator}" operator ${EXPERIMENTAL}`);
    if (parts.some((p) => p.name === 'FillModifier')) this.report(node, `fill modifiers ${EXPERIMENTAL}`);
    if (lt === undefined || rt === undefined) return undefined;
    if ([lt, rt].some((t) => t !== 'scalar' && t !== 'vector')) {
      this.report(node, `binary expression must contain only scalar and instant vector types, got ${typeName(lt)} ${operator} ${typeName(rt)}`);
      return undefined;
    }
    if (bool && !COMPARISONS.has(op.name)) this.report(parts.find((p) => p.name === 'BoolModifier')!, 'bool modifier can only be used on comparison operators');
    if (COMPARISONS.has(op.name) && lt === 'scalar' && rt === 'scalar' && !bool) this.report(op, 'comparisons between scalars must use BOOL modifier');
    if (SET_OPERATORS.has(op.name) && (lt === 'scalar' || rt === 'scalar')) this.report(op, `set operator "${operator}" not allowed in binary scalar expression`);
    if (matching) this.matching(matching, op, lt === 'vector' && rt === 'vector');
    return lt === 'vector' || rt === 'vector' ? 'vector' : 'scalar';
  }

  private matching(clause: SyntaxNode, op: SyntaxNode, vectors: boolean): void {
    const parts = children(clause);
    const groups = parts.filter((c) => c.name === 'GroupingLabels');
    const labels = this.groupingLabels(clause);
    const on = parts[0].name === 'On';
    const grouping = parts.find((c) => c.name === 'GroupLeft' || c.name === 'GroupRight');
    const matchingLabels = groups[0] ? children(groups[0]).map((l) => this.text(l)) : [];
    const include = labels.slice(matchingLabels.length);
    if (!vectors && matchingLabels.length > 0) this.report(clause, 'vector matching only allowed between instant vectors');
    if (grouping && SET_OPERATORS.has(op.name)) this.report(grouping, `no grouping allowed for "${this.text(op).toLowerCase()}" operation`);
    for (const label of on ? include.filter((l) => matchingLabels.includes(l)) : []) {
      this.report(clause, `label "${label}" must not occur in ON and GROUP clause at once`);
    }
  }
}

/** Whether a matcher also matches a missing label (the empty value), as Prometheus decides. */
function matchesEmpty(op: string, value: string): boolean {
  if (op === '=') return value === '';
  if (op === '!=') return value !== '';
  try {
    // RE2 and JavaScript agree on whether the common patterns match "" (unsupported syntax is
    // refused elsewhere); a pattern JavaScript cannot compile counts as selective.
    const matches = new RegExp(`^(?:${value})$`, 'u').test('');
    return op === '=~' ? matches : !matches;
  } catch {
    return false;
  }
}
