/**
 * PromQL read with Prometheus' own grammar for JavaScript (`@prometheus-io/lezer-promql`, the one
 * Prometheus' UI highlights and lints with), then checked where that grammar is looser than the
 * Go parser Prometheus loads rules with (types, arguments, modifiers; see promql-types.ts).
 * A lezer parse never throws: it recovers by inserting error nodes, each of which becomes a message.
 */
import { exprProblem } from './promql';
import { UNPORTABLE_FUNCTIONS } from './promql-functions';
import { Problem, SyntaxNode, children, descendants, parsePromql, stringValue } from './promql-tree';
import { checkTypes } from './promql-types';

/** Results per expression: the catalog renders and checks the same expressions on every synth. */
const cache = new Map<string, string[]>();
const CACHE_SIZE = 2000;

/**
 * Why Prometheus would refuse `expr` as a rule's expression: one message per problem, each with
 * its line:column and the text around it. Empty when the expression is fine.
 */
export function promqlProblems(expr: string): string[] {
  if (typeof expr !== 'string' || expr.trim() === '') return ['a PromQL expression'];
  const cached = cache.get(expr);
  if (cached) return cached;
  const root = parsePromql(expr);
  // The grammar takes any escape in a string and knows no regex: the lexical check does.
  const lexical = exprProblem(expr);
  const syntax = syntaxProblems(expr, root, lexical !== undefined);
  // Types are only checked on a tree without errors: recovery guesses would make noise.
  const problems = syntax.length > 0 || lexical ? syntax : checkTypes(expr, root);
  const messages = [...new Set([...(lexical ? [lexical] : []), ...problems.sort((a, b) => a.from - b.from).map((p) => format(expr, p))])];
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(expr, messages);
  return messages;
}

function syntaxProblems(expr: string, root: SyntaxNode, stringsChecked: boolean): Problem[] {
  const unknown = unknownFunctions(expr, root);
  const problems: Problem[] = unknown.map((u) => u.problem);
  let last = -1;
  for (const node of descendants(root)) {
    if (!node.type.isError || node.from <= last) continue;
    last = node.to;
    // A call of an unknown function derails the parse until its ")": its own message says enough.
    if (unknown.some((u) => node.from >= u.problem.from && node.from <= u.end)) continue;
    problems.push({ from: node.from, to: node.to, message: unexpected(expr, node.from) });
  }
  // Go's lexer reads "10000and" or "5mor" as one bad number; the grammar as a number and a keyword.
  for (const node of descendants(root)) {
    if (node.name.startsWith('NumberDurationLiteral') && /^[\w.]/.test(expr.slice(node.to))) {
      problems.push({ from: node.from, to: node.to, message: `bad number or duration syntax: "${expr.slice(node.from, node.to)}" runs into "${expr[node.to]}" (add a space)` });
    }
  }
  // The grammar lets a string run to the end of the line unclosed (the UI highlights as you type).
  for (const node of stringsChecked ? [] : descendants(root)) {
    if (node.name === 'StringLiteral' && !closed(expr.slice(node.from, node.to))) problems.push({ from: node.from, to: node.to, message: 'string not closed' });
  }
  return problems;
}

function closed(literal: string): boolean {
  const quote = literal[0];
  if (literal.length < 2 || !literal.endsWith(quote)) return false;
  // An odd number of backslashes before the last quote escapes it.
  return quote === '`' || /(?:^|[^\\])(?:\\\\)*$/.test(literal.slice(1, -1));
}

function unexpected(expr: string, at: number): string {
  const rest = expr.slice(at).trimStart();
  if (rest === '') return 'unexpected end of expression';
  const token = /^(?:[A-Za-z_:][\w:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[=!<>]=|=~|!~|\S)/.exec(rest)![0];
  return `unexpected ${JSON.stringify(token)}`;
}

/**
 * The grammar only knows Prometheus' function names: `foo(x)` or `RATE(x)` parses as the metric
 * `foo` followed by stray text. Name the real problem instead.
 */
function unknownFunctions(expr: string, root: SyntaxNode): Array<{ problem: Problem; end: number }> {
  const found: Array<{ problem: Problem; end: number }> = [];
  for (const node of descendants(root)) {
    const id = node.name === 'VectorSelector' && node.firstChild?.name === 'Identifier' ? node.firstChild : undefined;
    const paren = id && /^\s*\(/.exec(expr.slice(id.to));
    if (!id || !paren) continue;
    const name = expr.slice(id.from, id.to);
    const removed = UNPORTABLE_FUNCTIONS.get(name);
    const hint = removed ? `: it ${removed}` : name !== name.toLowerCase() ? ` (function names are lower case: ${name.toLowerCase()})` : '';
    found.push({ problem: { from: id.from, to: id.to, message: `unknown function "${name}"${hint}` }, end: closingParen(expr, id.to + paren[0].length - 1) });
  }
  return found;
}

function closingParen(expr: string, open: number): number {
  let depth = 0;
  for (let i = open; i < expr.length; i++) {
    if (expr[i] === '(') depth++;
    if (expr[i] === ')' && --depth === 0) return i;
  }
  return expr.length;
}

function format(expr: string, problem: Problem): string {
  const before = expr.slice(0, problem.from).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  const start = Math.max(0, problem.from - 20);
  const end = Math.min(expr.length, Math.max(problem.to, problem.from + 1) + 20);
  const near = `${start > 0 ? '…' : ''}${expr.slice(start, end).replace(/\s+/g, ' ')}${end < expr.length ? '…' : ''}`;
  return `PromQL ${line}:${column}: ${problem.message} (near ${JSON.stringify(near)})`;
}

/**
 * The metric names `expr` selects: the name of every vector selector, or its `__name__="..."`
 * matcher. Names that only a regex matches are not listed.
 */
export function metricNamesIn(expr: string): string[] {
  const names = new Set<string>();
  for (const node of descendants(parsePromql(expr))) {
    if (node.name !== 'VectorSelector') continue;
    const id = node.firstChild?.name === 'Identifier' ? node.firstChild : undefined;
    if (id) names.add(expr.slice(id.from, id.to));
    for (const matcher of descendants(node)) {
      const [label, op, value] = children(matcher);
      if (matcher.name === 'UnquotedLabelMatcher' && expr.slice(label.from, label.to) === '__name__' && expr.slice(op.from, op.to) === '=') {
        names.add(stringValue(expr.slice(value.from, value.to)));
      }
    }
  }
  return [...names].sort();
}
