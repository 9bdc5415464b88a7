/**
 * The parse tree of a PromQL expression, from Prometheus' own lezer grammar, and the few helpers
 * the checks share to read it.
 */

/** The part of a lezer syntax node this module reads (typed here: `@lezer/common` is no direct dependency). */
export interface SyntaxNode {
  readonly name: string;
  readonly type: { readonly isError: boolean };
  readonly from: number;
  readonly to: number;
  readonly firstChild: SyntaxNode | null;
  readonly nextSibling: SyntaxNode | null;
}

interface Parser {
  parse(text: string): { readonly topNode: SyntaxNode };
}

/** A problem at `[from, to)` of the expression. */
export interface Problem {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

let parser: Parser | undefined;

/** The parse tree of `expr`; the grammar is loaded on first use, so importing the library costs nothing. */
export function parsePromql(expr: string): SyntaxNode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser ??= require('@prometheus-io/lezer-promql').parser as Parser;
  return parser.parse(expr).topNode;
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const all: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) all.push(child);
  return all;
}

/** Every node below `node`, depth first. */
export function* descendants(node: SyntaxNode): Generator<SyntaxNode> {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    yield child;
    yield* descendants(child);
  }
}

/** The value of a string literal, near enough for names and emptiness (escapes are checked elsewhere). */
export function stringValue(literal: string): string {
  const body = literal.slice(1, -1);
  return literal.startsWith('`') ? body : body.replace(/\\(.)/g, '$1');
}
