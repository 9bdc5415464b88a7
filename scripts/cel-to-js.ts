/**
 * Compiles CEL expressions to JavaScript at generation time, so a synth evaluates the CRDs'
 * x-kubernetes-validations without loading a CEL library (@bufbuild/cel costs 150-550 ms to
 * require). The expression is parsed by @bufbuild/cel; each node becomes a call of
 * src/core/cel-runtime.ts (`$`), which keeps CEL's error values. The subset covers the shipped
 * rules and a bit more; anything else stops the generation with the rule and the construct
 * named, so no rule is silently left out.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import type { CelEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import * as runtime from '../src/core/cel-runtime';
import type { CelProgram, CelPrograms } from '../src/core/cel-validation';

type Expr = ReturnType<typeof parse>['expr'] & {};

let environment: CelEnv | undefined;

/**
 * The environment rules are checked (and the reference evaluation runs) in: CEL's standard
 * library and the strings extension that Kubernetes also enables. Kubernetes' own libraries
 * (lists, regex find, url, quantity, ip, ...) are not here.
 */
export function celEnvironment(): CelEnv {
  environment ??= celEnv({ funcs: strings });
  return environment;
}

const OPERATORS: Record<string, string> = {
  '_==_': 'eq',
  '_!=_': 'ne',
  '_<_': 'lt',
  '_<=_': 'le',
  '_>_': 'gt',
  '_>=_': 'ge',
  '_+_': 'add',
  '_-_': 'sub',
  '_*_': 'mul',
  '_/_': 'div',
  '_%_': 'mod',
  '@in': 'inside',
  '_[_]': 'index',
  '!_': 'not',
  '-_': 'neg',
  '@not_strictly_false': 'notStrictlyFalse',
};
/** Global functions: name -> [runtime helper, number of arguments]. */
const FUNCTIONS: Record<string, [string, number]> = {
  size: ['size', 1], int: ['toInt', 1], uint: ['toUint', 1], double: ['toDouble', 1], string: ['toStringValue', 1],
};
/** Methods (`target.name(args)`): name -> [runtime helper, number of arguments]. */
const METHODS: Record<string, [string, number]> = {
  size: ['size', 0], startsWith: ['startsWith', 1], endsWith: ['endsWith', 1], contains: ['contains', 1],
};

/** What one module's expressions share: the regular expressions, built once at load. */
interface ModuleContext {
  readonly regexps: string[];
}

/**
 * The JavaScript expression computing `expression` from `self` with the helpers of
 * src/core/cel-runtime.ts as `$`. Throws, naming `where`, on anything outside the subset.
 */
export function celToJs(expression: string, where: string, context: ModuleContext = { regexps: [] }): string {
  let counter = 0;
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what} is not supported by scripts/cel-to-js.ts (add it there and to src/core/cel-runtime.ts)`);
  };

  const emit = (node: Expr | undefined, scope: ReadonlyMap<string, string>): string => {
    if (!node) return fail('an empty expression');
    const kind = node.exprKind;
    switch (kind.case) {
      case 'constExpr': return constant(kind.value.constantKind, fail);
      case 'identExpr': {
        const name = scope.get(kind.value.name);
        return name ?? fail(kind.value.name === 'oldSelf' ? 'oldSelf outside a transition rule' : `the variable ${kind.value.name}`);
      }
      case 'selectExpr':
        return `$.${kind.value.testOnly ? 'has' : 'select'}(${emit(kind.value.operand, scope)}, ${JSON.stringify(kind.value.field)})`;
      case 'listExpr':
        if (kind.value.optionalIndices.length > 0) fail('an optional list element');
        return `$.list([${kind.value.elements.map((e) => emit(e, scope)).join(', ')}])`;
      case 'callExpr': return callOf(kind.value, scope);
      case 'comprehensionExpr': {
        const c = kind.value;
        if (c.iterVar2) fail('a two-variable comprehension');
        const n = counter++;
        const accu = new Map(scope).set(c.accuVar, `accu${n}`);
        const loop = new Map(accu).set(c.iterVar, `item${n}`);
        const params = `(accu${n}, item${n})`;
        return `$.fold(${emit(c.iterRange, scope)}, ${emit(c.accuInit, scope)}, ${params} => ${emit(c.loopCondition, loop)}, `
          + `${params} => ${emit(c.loopStep, loop)}, (accu${n}) => ${emit(c.result, accu)})`;
      }
      default: return fail(`a ${kind.case ?? 'missing'} expression`);
    }
  };

  const callOf = (c: Extract<Expr['exprKind'], { case: 'callExpr' }>['value'], scope: ReadonlyMap<string, string>): string => {
    const args = c.args.map((a) => emit(a, scope));
    const target = c.target ? emit(c.target, scope) : undefined;
    const arity = (n: number): void => {
      if (args.length !== n) fail(`${c.function}() with ${args.length} arguments`);
    };
    if (c.function === '_&&_' || c.function === '_||_') {
      arity(2);
      return `$.${c.function === '_&&_' ? 'and' : 'or'}(${args[0]}, () => ${args[1]})`;
    }
    if (c.function === '_?_:_') {
      arity(3);
      return `$.cond(${args[0]}, () => ${args[1]}, () => ${args[2]})`;
    }
    if (target === undefined && OPERATORS[c.function]) return `$.${OPERATORS[c.function]}(${args.join(', ')})`;
    if (target === undefined && FUNCTIONS[c.function]) {
      const [helper, n] = FUNCTIONS[c.function];
      arity(n);
      return `$.${helper}(${args.join(', ')})`;
    }
    if (target !== undefined && METHODS[c.function]) {
      const [helper, n] = METHODS[c.function];
      arity(n);
      return `$.${helper}(${[target, ...args].join(', ')})`;
    }
    if (target !== undefined && c.function === 'matches') {
      arity(1);
      const pattern = c.args[0].exprKind;
      if (pattern.case !== 'constExpr' || pattern.value.constantKind.case !== 'stringValue') return fail('matches() with a pattern that is not a string literal');
      const source = re2ToJs(pattern.value.constantKind.value, fail);
      let i = context.regexps.indexOf(source);
      if (i < 0) i = context.regexps.push(source) - 1;
      return `$.matches(${target}, re${i})`;
    }
    return fail(`the function ${c.function}()${target === undefined ? '' : ' as a method'}`);
  };

  return emit(parseOrFail(expression, where), new Map([['self', 'self']]));
}

function parseOrFail(expression: string, where: string): Expr | undefined {
  try {
    return parse(expression).expr;
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

function constant(value: Extract<Expr['exprKind'], { case: 'constExpr' }>['value']['constantKind'], fail: (what: string) => never): string {
  switch (value.case) {
    case 'boolValue': return String(value.value);
    case 'nullValue': return 'null';
    case 'stringValue': return JSON.stringify(value.value);
    case 'int64Value': return value.value < 0n ? `(${value.value}n)` : `${value.value}n`;
    case 'uint64Value': return `new $.CelUint(${value.value}n)`;
    case 'doubleValue': return Object.is(value.value, -0) || value.value < 0 ? `(${Object.is(value.value, -0) ? '-0' : value.value})` : String(value.value);
    default: return fail(`a ${value.case ?? 'missing'} literal`);
  }
}

/**
 * A JavaScript regular expression (flag `u`) that matches exactly what the RE2 pattern does, for
 * a conservative part of RE2's syntax: literals, `.`, anchors, classes of literals and ranges,
 * `\d \w \s` (and their negations outside classes), groups, alternation and bounded repetition.
 * The differences are rewritten (`.` excludes only \n in RE2, `\s` is ASCII whitespace there);
 * flags, \b, \p{..}, named groups and the like are refused.
 */
export function re2ToJs(pattern: string, fail: (what: string) => never): string {
  const refuse = (why: string): never => fail(`the RE2 pattern ${JSON.stringify(pattern)} (${why})`);
  const chars = [...pattern];
  const space = '\\t\\n\\f\\r ';
  let out = '';
  let inClass = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\\') {
      const next = chars[++i];
      if (next === undefined) refuse('trailing backslash');
      if ('dDwW'.includes(next)) out += `\\${next}`;
      else if (next === 's') out += inClass ? space : `[${space}]`;
      else if (next === 'S' && !inClass) out += `[^${space}]`;
      else if ('\\.^$*+?()[]{}|/-'.includes(next) && (next !== '-' || inClass)) out += `\\${next}`;
      else refuse(`escape \\${next}`);
    } else if (inClass) {
      if (ch === '[') refuse('[ inside a class');
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (chars[i + 1] === '^') out += chars[++i];
      if (chars[i + 1] === ']') refuse('] first in a class');
    } else if (ch === '(') {
      if (chars[i + 1] === '?') {
        if (chars[i + 2] !== ':') refuse('group flags or names');
        out += '(?:';
        i += 2;
      } else {
        out += '(';
      }
    } else if (ch === '{') {
      const bound = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(i).join(''));
      if (!bound) refuse('{ that is not a repetition');
      if (Number(bound![1]) > 1000 || Number(bound![3] || 0) > 1000) refuse('repetition over 1000');
      out += bound![0];
      i += bound![0].length - 1;
    } else if (ch === '.') {
      out += '[^\\n]';
    } else {
      out += ch === '/' ? '\\/' : ch;
    }
  }
  if (inClass) refuse('unclosed class');
  try {
    new RegExp(out, 'u');
  } catch (e) {
    refuse((e as Error).message);
  }
  return out;
}

/**
 * The CommonJS module of the compiled expressions: a function of the runtime that returns
 * `{ [expression]: (self) => value }`, in the order given.
 */
export function renderCelModule(expressions: readonly { expression: string; where: string }[]): string {
  const context: ModuleContext = { regexps: [] };
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const { expression, where } of expressions) {
    if (seen.has(expression)) continue;
    seen.add(expression);
    entries.push(`  ${JSON.stringify(expression)}: (self) => ${celToJs(expression, where, context)},`);
  }
  return [
    '// Generated by scripts/extract-cel-rules.ts (compiler: scripts/cel-to-js.ts) from the CRDs\' x-kubernetes-validations; do not edit.',
    '// Each CEL expression of cel-rules.json that a synth evaluates, as a function of `self`; `$` is src/core/cel-runtime.ts.',
    '\'use strict\';',
    'module.exports = ($) => {',
    ...context.regexps.map((source, i) => `  const re${i} = new RegExp(${JSON.stringify(source)}, 'u');`),
    '  return {',
    ...entries.map((e) => `  ${e}`),
    '  };',
    '};',
    '',
  ].join('\n');
}

/** Loads a module rendered by renderCelModule() without writing it (tests, ad hoc rules). */
export function loadCelModule(source: string): CelPrograms {
  const module = { exports: undefined as unknown };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('module', source)(module);
  const programs = (module.exports as (r: typeof runtime) => Record<string, CelProgram>)(runtime);
  return (expression) => {
    const program = Object.hasOwn(programs, expression) ? programs[expression] : undefined;
    if (!program) throw new Error(`no compiled program for ${JSON.stringify(expression)}`);
    return program;
  };
}

/**
 * The same expressions evaluated by @bufbuild/cel, with its errors turned into the runtime's
 * CelError: the reference the compiled programs are tested against.
 */
export function referencePrograms(): CelPrograms {
  const planned = new Map<string, CelProgram>();
  return (expression) => {
    let program = planned.get(expression);
    if (!program) {
      const evaluate = plan(celEnvironment(), parse(expression));
      program = (self) => {
        // The bound values (Maps, arrays, bigints) are CEL values to @bufbuild/cel as they are.
        const result = evaluate({ self: self as Parameters<typeof evaluate>[0] extends Record<string, infer V> ? V : never });
        return isCelError(result) ? new runtime.CelError(result.message) : result;
      };
      planned.set(expression, program);
    }
    return program;
  };
}
