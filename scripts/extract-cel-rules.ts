/**
 * Extracts the CEL rules (`x-kubernetes-validations`) of the upstream CRDs into
 * src/schemas/cel-rules.json and compiles them to JavaScript (scripts/cel-to-js.ts) into
 * src/schemas/cel-rules.validate.js, which src/core/cel-validation.ts evaluates at synth.
 *
 * Run alone (`ts-node scripts/extract-cel-rules.ts`, CRDs from $CRDS_DIR, default
 * ../shared/crds) or through `writeCelRules()` from scripts/import-crds.ts, which empties
 * src/schemas before it writes.
 *
 * Every rule is parsed and checked here, so a rule that uses a function our CEL environment
 * lacks (Kubernetes adds libraries of its own: quantity, url, ip, ...) stops the generation
 * instead of failing, or passing, at a user's synth.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, plan } from '@bufbuild/cel';
import * as YAML from 'yaml';
import { celEnvironment, celToJs, renderCelModule } from './cel-to-js';
import { CelRule, CelRulesOfKind, escapeCelName, EVERY_ELEMENT, EVERY_VALUE } from '../src/core/cel-validation';

type Schema = { [key: string]: any };

/** One stored version of a CRD, as scripts/import-crds.ts reads it. */
export interface CrdVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly schema: Schema;
}

export const CEL_RULES_FILE = 'cel-rules.json';
/** The compiled rules; named like the schema validators so the build copies it into lib/. */
export const CEL_PROGRAMS_FILE = 'cel-rules.validate.js';

/**
 * The CEL rules of an openAPIV3Schema, in schema order, each with the location it applies to:
 * property names, `[*]` for every element of a list (`items`), `{*}` for every value of a map
 * (`additionalProperties`). Transition rules (they read `oldSelf`) are flagged.
 */
export function celRulesOf(openApiSchema: Schema): CelRule[] {
  const rules: CelRule[] = [];
  walk(openApiSchema, [], (node, at) => {
    for (const rule of node['x-kubernetes-validations'] ?? []) rules.push(celRule(rule, at));
  });
  return rules;
}

/**
 * What cel-validation needs for one kind beyond its rules: objects whose property names
 * Kubernetes escapes in CEL (`namespace` is `__namespace__`), and `type: number` fields (an
 * integral value there is a CEL double, elsewhere an int). Only locations under a rule count.
 */
function typeHintsOf(openApiSchema: Schema, rules: readonly CelRule[]): Pick<CelRulesOfKind, 'escaped' | 'doubles'> {
  const escaped: string[][] = [];
  const doubles: string[][] = [];
  const underARule = (at: string[]) => rules.some((r) => r.at.every((segment, i) => at[i] === segment));
  walk(openApiSchema, [], (node, at) => {
    if (!underARule(at)) return;
    if (node.type === 'number') doubles.push(at);
    if (Object.keys(node.properties ?? {}).some((name) => escapeCelName(name) !== name)) escaped.push(at);
  });
  return { ...(escaped.length ? { escaped } : {}), ...(doubles.length ? { doubles } : {}) };
}

function walk(node: Schema, at: string[], visit: (node: Schema, at: string[]) => void): void {
  if (node === null || typeof node !== 'object') return;
  visit(node, at);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    if (name === EVERY_ELEMENT || name === EVERY_VALUE) throw new Error(`property named ${name} at ${at.join('.')}: pick other location markers`);
    walk(child as Schema, [...at, name], visit);
  }
  if (node.items) walk(node.items, [...at, EVERY_ELEMENT], visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, [...at, EVERY_VALUE], visit);
  // Structural schemas forbid rules inside value validations; say so rather than skip one.
  for (const key of ['anyOf', 'oneOf', 'allOf', 'not']) {
    for (const branch of [node[key] ?? []].flat()) {
      if (JSON.stringify(branch).includes('"x-kubernetes-validations"')) {
        throw new Error(`x-kubernetes-validations inside ${key} at ${at.join('.') || '<root>'}: not supported`);
      }
    }
  }
}

function celRule(source: Schema, at: string[]): CelRule {
  const where = `rule ${JSON.stringify(source.rule)} at ${at.join('.') || '<root>'}`;
  const transition = checkExpression(source.rule, where);
  if (source.messageExpression !== undefined) checkExpression(source.messageExpression, `messageExpression of ${where}`);
  // Compiled here too, so celRulesOf() already refuses what the JavaScript compiler cannot do.
  const asRule = { at, rule: source.rule, messageExpression: source.messageExpression, transition };
  for (const compiled of evaluatedExpressions([asRule], () => where)) celToJs(compiled.expression, compiled.where);
  const rule: Record<string, unknown> = { at, rule: source.rule };
  for (const key of ['message', 'messageExpression', 'fieldPath', 'reason'] as const) {
    if (source[key] !== undefined) rule[key] = source[key];
  }
  if (transition) rule.transition = true;
  return rule as unknown as CelRule;
}

/**
 * Parses and plans `expression` in the environment cel-validation uses and checks that every
 * function it calls and every variable it reads exist there. Returns whether it reads `oldSelf`.
 */
function checkExpression(expression: string, where: string): boolean {
  const env = celEnvironment();
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(expression);
    plan(env, parsed);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  let readsOldSelf = false;
  const visit = (node: any, scope: ReadonlySet<string>): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, scope));
    if (node.$typeName === 'cel.expr.Expr.Ident') {
      if (node.name === 'oldSelf') readsOldSelf = true;
      else if (node.name !== 'self' && !scope.has(node.name)) throw new Error(`${where}: unknown variable ${node.name}`);
    }
    if (node.$typeName === 'cel.expr.Expr.Call' && !PLANNER_OPERATORS.has(node.function) && !env.funcs.find(node.function)) {
      throw new Error(`${where}: function ${node.function}() is not in the CEL environment of src/core/cel-validation.ts; add it there`);
    }
    if (node.$typeName === 'cel.expr.Expr.Comprehension') {
      const inner = new Set([...scope, node.iterVar, node.iterVar2, node.accuVar].filter(Boolean));
      for (const [key, child] of Object.entries(node)) visit(child, key === 'iterRange' ? scope : inner);
      return;
    }
    for (const child of Object.values(node)) visit(child, scope);
  };
  visit(parsed.expr, new Set());
  return readsOldSelf;
}

/** Calls the planner evaluates itself rather than through the function resolver. */
const PLANNER_OPERATORS = new Set(['_&&_', '_||_', '_?_:_', '_[_]', '@not_strictly_false']);

/** The content of cel-rules.json: kinds with at least one rule, keyed like src/schemas/index.ts. */
export function celRulesData(crds: readonly CrdVersion[]): Record<string, CelRulesOfKind> {
  const data: Record<string, CelRulesOfKind> = {};
  for (const crd of [...crds].sort((a, b) => kindKey(a).localeCompare(kindKey(b)))) {
    const rules = celRulesOf(crd.schema);
    if (rules.length > 0) data[kindKey(crd)] = { rules, ...typeHintsOf(crd.schema, rules) };
  }
  return data;
}

export function renderCelRules(crds: readonly CrdVersion[]): string {
  return JSON.stringify(celRulesData(crds), null, 1) + '\n';
}

/**
 * The expressions a synth evaluates: every rule and messageExpression, transition rules aside
 * (they are skipped at synth, see skippedCelRules()).
 */
function evaluatedExpressions(rules: readonly CelRule[], where: (rule: CelRule) => string = (r) => `rule ${JSON.stringify(r.rule)} at ${r.at.join('.') || '<root>'}`) {
  return rules.filter((r) => !r.transition).flatMap((r) => [
    { expression: r.rule, where: where(r) },
    ...(r.messageExpression === undefined ? [] : [{ expression: r.messageExpression, where: `messageExpression of ${where(r)}` }]),
  ]);
}

/** The content of cel-rules.validate.js: the expressions of celRulesData() compiled to JavaScript. */
export function renderCelPrograms(data: Record<string, CelRulesOfKind>): string {
  return renderCelModule(Object.values(data).flatMap((kind) => evaluatedExpressions(kind.rules)));
}

/** Writes cel-rules.json and cel-rules.validate.js into `schemasDir`; the call scripts/import-crds.ts makes. */
export function writeCelRules(crds: readonly CrdVersion[], schemasDir: string): void {
  const data = celRulesData(crds);
  fs.writeFileSync(path.join(schemasDir, CEL_RULES_FILE), JSON.stringify(data, null, 1) + '\n');
  fs.writeFileSync(path.join(schemasDir, CEL_PROGRAMS_FILE), renderCelPrograms(data));
}

/** The storage version of every CRD in `crdsDir`. */
export function readCrdVersions(crdsDir: string): CrdVersion[] {
  const files = fs.readdirSync(crdsDir).filter((f) => f.endsWith('.yaml')).sort();
  if (files.length === 0) throw new Error(`no CRD YAML files in ${crdsDir} (set CRDS_DIR)`);
  const crds: CrdVersion[] = [];
  for (const file of files) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(crdsDir, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const stored = crd.spec.versions.find((v: Schema) => v.storage) ?? crd.spec.versions[0];
      crds.push({ group: crd.spec.group, version: stored.name, kind: crd.spec.names.kind, schema: stored.schema.openAPIV3Schema });
    }
  }
  return crds;
}

function kindKey(crd: CrdVersion): string {
  return `${crd.group}/${crd.version}/${crd.kind}`;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const crdsDir = path.resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
  const crds = readCrdVersions(crdsDir);
  writeCelRules(crds, path.join(root, 'src', 'schemas'));
  const rules = Object.values(celRulesData(crds)).flatMap((k) => k.rules);
  console.log(`wrote ${rules.length} CEL rules (${rules.filter((r) => r.transition).length} transition rules, skipped at synth) from ${crdsDir}`);
}
