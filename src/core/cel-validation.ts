import * as fs from 'fs';
import * as path from 'path';
import * as runtime from './cel-runtime';

/**
 * Synth-time evaluation of the CRDs' CEL rules (`x-kubernetes-validations`), extracted into
 * src/schemas/cel-rules.json by scripts/extract-cel-rules.ts and compiled there to JavaScript
 * (src/schemas/cel-rules.validate.js), so no CEL library is loaded at synth. Kubernetes'
 * semantics are kept where they decide the outcome: a rule runs only where its location is
 * present, `self` is the value there, integers are CEL ints, a field that is absent (or null) is
 * "no such key", and a rule that cannot be evaluated rejects the object. Transition rules need
 * the stored object (`oldSelf`), which a synth does not have: they are skipped and listed by
 * skippedCelRules().
 */

/** Location marker for every element of a list (`items`). */
export const EVERY_ELEMENT = '[*]';
/** Location marker for every value of a map (`additionalProperties`). */
export const EVERY_VALUE = '{*}';

/** One `x-kubernetes-validations` entry and the location it applies to. */
export interface CelRule {
  /** Property names, EVERY_ELEMENT or EVERY_VALUE, from the object's root. */
  readonly at: readonly string[];
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  /** Reads `oldSelf`: only evaluable on update. */
  readonly transition?: boolean;
}

/** The rules of one kind, with what the conversion of its values to CEL needs to know. */
export interface CelRulesOfKind {
  readonly rules: readonly CelRule[];
  /** Objects whose property names Kubernetes escapes in CEL (`namespace` is `__namespace__`). */
  readonly escaped?: readonly (readonly string[])[];
  /** `type: number` fields: an integral value there is a CEL double, not an int. */
  readonly doubles?: readonly (readonly string[])[];
}

/** A transition rule, not evaluated at synth. */
export interface SkippedCelRule {
  /** "<group>/<version>/<kind>" */
  readonly kind: string;
  /** e.g. "spec.cluster" */
  readonly location: string;
  readonly rule: string;
  readonly message?: string;
}

/** A compiled CEL expression: its value for `self`, a runtime.CelError when it errs. */
export type CelProgram = (self: unknown) => unknown;
/** The program of each CEL expression (rule or messageExpression) of a set of rules. */
export type CelPrograms = (expression: string) => CelProgram;

let rulesByKind: Record<string, CelRulesOfKind> | undefined;
let shipped: Record<string, CelProgram> | undefined;
const hintsByKind = new Map<CelRulesOfKind, Hint>();

function allRules(): Record<string, CelRulesOfKind> {
  rulesByKind ??= JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'cel-rules.json'), 'utf8'));
  return rulesByKind!;
}

/** The programs compiled ahead of time, loaded on the first evaluation (as the schema validators are). */
function shippedPrograms(expression: string): CelProgram {
  if (!shipped) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = require(path.join(__dirname, '..', 'schemas', 'cel-rules.validate.js')) as (r: typeof runtime) => Record<string, CelProgram>;
    shipped = load(runtime);
  }
  const program = Object.hasOwn(shipped, expression) ? shipped[expression] : undefined;
  // cel-rules.json and cel-rules.validate.js are written together: a miss means a stale pair.
  if (!program) throw new Error(`no compiled program for CEL expression ${JSON.stringify(expression)}: run \`npx projen import-crds\``);
  return program;
}

/**
 * The CEL rule violations of one manifest, one message per problem, each naming the field
 * path; empty when valid or when its kind has no rules.
 */
export function celErrors(manifest: any): string[] {
  const kind = allRules()[`${manifest?.apiVersion}/${manifest?.kind}`];
  return kind ? celErrorsAgainst(kind, manifest) : [];
}

/**
 * celErrors() with the rules given, evaluated by `programs` (default: the ones compiled from the
 * shipped CRDs; tests pass freshly compiled ones, or @bufbuild/cel's for reference).
 */
export function celErrorsAgainst(kind: CelRulesOfKind, manifest: any, programs: CelPrograms = shippedPrograms): string[] {
  const errors: string[] = [];
  for (const rule of kind.rules) {
    if (rule.transition) continue;
    for (const found of locate(rule.at.length === 0 ? rootSelf(manifest) : manifest, rule.at, '')) {
      const error = evaluate(rule, toCel(found.value, hintAt(kind, rule.at)), found.path, programs);
      if (error) errors.push(error);
    }
  }
  return errors;
}

/** The transition rules of the shipped CRDs, which celErrors() does not evaluate. */
export function skippedCelRules(): SkippedCelRule[] {
  return Object.entries(allRules()).flatMap(([kind, { rules }]) => rules
    .filter((r) => r.transition)
    .map((r) => ({ kind, location: patternText(r.at), rule: r.rule, ...(r.message ? { message: r.message } : {}) })));
}

function evaluate(rule: CelRule, self: unknown, at: string, programs: CelPrograms): string | undefined {
  let result: unknown;
  try {
    result = programs(rule.rule)(self);
  } catch (e) {
    // A compiled rule returns CEL errors as values; a thrown one is a gap in the compiler, and
    // still must not crash the synth without naming the object and the rule.
    result = new runtime.CelError(`internal error: ${(e as Error).message}`);
  }
  if (result === true) return undefined;
  const where = `${at}${fieldPathText(rule.fieldPath)}`.replace(/^\./, '') || '<root>';
  const message = messageOf(rule, self, programs);
  const source = `x-kubernetes-validations rule ${JSON.stringify(rule.rule)}`;
  if (result === false) return `${where}: ${message} (${source})`;
  // The API server rejects an object whose rule errs (e.g. "no such key"), so do we.
  const why = result instanceof runtime.CelError ? result.message : 'returned a value that is not a bool';
  return `${where}: ${message} (${source} could not be evaluated: ${why})`;
}

function messageOf(rule: CelRule, self: unknown, programs: CelPrograms): string {
  if (rule.messageExpression) {
    const text = programs(rule.messageExpression)(self);
    // Kubernetes falls back to `message` when messageExpression errs or gives an unusable string.
    if (typeof text === 'string' && text.trim() !== '' && !text.includes('\n')) return text;
  }
  return rule.message ?? 'failed rule';
}

/** The values at a location pattern that are present, with their concrete paths. */
function* locate(value: any, at: readonly string[], where: string): Generator<{ value: unknown; path: string }> {
  if (value === undefined || value === null) return;
  if (at.length === 0) {
    yield { value, path: where };
    return;
  }
  const [head, ...rest] = at;
  if (head === EVERY_ELEMENT) {
    if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* locate(item, rest, `${where}[${i}]`);
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    const keys = head === EVERY_VALUE ? Object.keys(value) : [head];
    for (const key of keys) yield* locate(value[key], rest, where ? `${where}.${key}` : key);
  }
}

/** What a root rule sees: of the metadata, Kubernetes shows only name and generateName. */
function rootSelf(manifest: any): any {
  if (manifest === null || typeof manifest !== 'object') return manifest;
  const { name, generateName } = manifest.metadata ?? {};
  return { ...manifest, metadata: { name, generateName } };
}

interface Hint {
  readonly children: Map<string, Hint>;
  escaped?: boolean;
  double?: boolean;
}

function hintAt(kind: CelRulesOfKind, at: readonly string[]): Hint | undefined {
  let root = hintsByKind.get(kind);
  if (!root) {
    const tree: Hint = { children: new Map() };
    const nodeAt = (segments: readonly string[]) => segments.reduce((node, segment) => {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, child = { children: new Map() });
      return child;
    }, tree);
    for (const segments of kind.escaped ?? []) nodeAt(segments).escaped = true;
    for (const segments of kind.doubles ?? []) nodeAt(segments).double = true;
    hintsByKind.set(kind, root = tree);
  }
  return at.reduce<Hint | undefined>((node, segment) => node?.children.get(segment), root);
}

/** JSON to the CEL values Kubernetes would bind: maps, ints for integral numbers, no nulls. */
function toCel(value: unknown, hint: Hint | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => toCel(item, hint?.children.get(EVERY_ELEMENT)));
  if (typeof value === 'number') return Number.isInteger(value) && !hint?.double ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  const map = new Map<string, unknown>();
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    const name = hint?.escaped ? escapeCelName(key) : key;
    if (name === undefined) continue;
    map.set(name, toCel(item, hint?.children.get(key) ?? hint?.children.get(EVERY_VALUE)));
  }
  return map;
}

/** Kubernetes' escaping of property names that are not CEL identifiers (apiserver cel.Escape). */
export function escapeCelName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[A-Za-z_.\-/][A-Za-z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** ["spec", "list", "[*]", "name"] -> "spec.list[*].name" */
export function patternText(at: readonly string[]): string {
  return at.reduce((text, segment) => (segment === EVERY_ELEMENT ? `${text}[*]` : text ? `${text}.${segment === EVERY_VALUE ? '*' : segment}` : segment), '');
}

function fieldPathText(fieldPath: string | undefined): string {
  if (!fieldPath) return '';
  return fieldPath.startsWith('.') || fieldPath.startsWith('[') ? fieldPath : `.${fieldPath}`;
}
