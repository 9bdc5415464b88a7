/**
 * Regenerates src/imports (cdk8s L1 classes) and src/schemas (strict structural JSON schemas)
 * from the upstream CRD files in $CRDS_DIR (default ../shared/crds).
 *
 * The CRDs are read, their descriptions stripped (they are most of the bytes and say nothing a
 * validator needs), grouped by API group and handed to `cdk8s import`. The schemas keep only the
 * structural keywords and close every object that the API server would prune unknown fields
 * from, so that a misspelled field fails our synth instead of vanishing at apply time.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import * as YAML from 'yaml';
import { writeCelRules } from './extract-cel-rules';

const root = path.resolve(__dirname, '..');
const crdsDir = path.resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
const importsDir = path.join(root, 'src', 'imports');
const schemasDir = path.join(root, 'src', 'schemas');

/** Schema keywords a structural validator needs; everything else is dropped. */
const KEPT = new Set([
  'type', 'properties', 'additionalProperties', 'items', 'required', 'enum', 'pattern',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength',
  'minItems', 'maxItems', 'minProperties', 'maxProperties', 'anyOf', 'oneOf', 'allOf', 'not', 'nullable',
]);

type Schema = { [key: string]: any };

/** Copies a CRD schema without its `description` texts (field names called "description" stay). */
function stripDescriptions(node: any): any {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' && typeof value === 'string') continue;
    out[key] = key === 'properties' ? mapValues(value as Schema, stripDescriptions) : stripDescriptions(value);
  }
  return out;
}

/** Reduces a schema to structural keywords and closes objects the API server would prune. */
function strict(node: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT.has(key)) continue;
    if (key === 'properties') out.properties = mapValues(value, strict);
    else if (key === 'items' || key === 'not') out[key] = strict(value);
    else if (key === 'additionalProperties') out[key] = typeof value === 'object' ? strict(value) : value;
    else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') out[key] = value.map(strict);
    else if (key === 'pattern') out.pattern = jsPattern(value);
    else out[key] = value;
  }
  const preserves = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node.properties && node.additionalProperties === undefined && !preserves) {
    out.additionalProperties = false;
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

/**
 * CRD patterns are Go (RE2) regular expressions; JavaScript has no inline `(?i)` flag, so a
 * case-insensitive pattern is spelled out with both cases of each letter. Anything else that
 * JavaScript cannot compile stops the import rather than being dropped quietly.
 */
function jsPattern(pattern: string): string {
  let out = pattern;
  if (out.includes('(?i)')) {
    out = out.replace('(?i)', '').replace(/\\.|\[[^\]]*\]|[A-Za-z]/g, (token) => {
      if (token.startsWith('\\')) return token;
      if (token.startsWith('[')) return token.replace(/[A-Za-z]/g, (c) => `${c.toLowerCase()}${c.toUpperCase()}`);
      return `[${token.toLowerCase()}${token.toUpperCase()}]`;
    });
  }
  try {
    new RegExp(out, 'u');
  } catch (e) {
    throw new Error(`CRD pattern ${JSON.stringify(pattern)} cannot be used in JavaScript (${(e as Error).message}); extend jsPattern()`);
  }
  return out;
}

function mapValues(record: Schema, fn: (value: any) => any): Schema {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

interface Crd {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly schema: Schema;
  readonly document: Schema;
}

function readCrds(): Crd[] {
  const files = fs.readdirSync(crdsDir).filter((f) => f.endsWith('.yaml')).sort();
  if (files.length === 0) throw new Error(`no CRD YAML files in ${crdsDir} (set CRDS_DIR)`);
  const crds: Crd[] = [];
  for (const file of files) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(crdsDir, file), 'utf8'))) {
      const crd = stripDescriptions(doc.toJS());
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const stored = crd.spec.versions.find((v: Schema) => v.storage) ?? crd.spec.versions[0];
      crds.push({
        group: crd.spec.group,
        kind: crd.spec.names.kind,
        version: stored.name,
        schema: stored.schema.openAPIV3Schema,
        document: crd,
      });
    }
  }
  return crds;
}

/**
 * The validator of `schema` as a CommonJS module (Ajv's standalone code): the library loads it at
 * synth instead of compiling the schema at run time, which took most of a second for the CNPG
 * Cluster and Pooler schemas. The options must stay those the messages are written for
 * (allErrors: every problem of an object at once).
 */
function validatorModule(schema: Schema): string {
  const ajv = new Ajv({ allErrors: true, strict: false, inlineRefs: false, code: { source: true, lines: false } });
  return `// Generated by scripts/import-crds.ts (Ajv standalone code) from the schema of the same name; do not edit.\n${standaloneCode(ajv, ajv.compile(hoistObjects(schema)))}\n`;
}

/**
 * The same schema with every nested object schema moved into `$defs` (identical ones once) and
 * referred to by `$ref`. Ajv then emits one small function per object schema instead of one
 * function of a megabyte: the Pooler's code halves, and V8 compiles only the functions an object
 * reaches (the first check of a Cluster went from ~200 ms to ~10 ms).
 */
function hoistObjects(schema: Schema): Schema {
  const defs: Schema = {};
  const byText = new Map<string, string>();
  const visit = (node: any, top: boolean): any => {
    if (Array.isArray(node)) return node.map((item) => visit(item, false));
    if (node === null || typeof node !== 'object') return node;
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties') out.properties = mapValues(value as Schema, (s) => visit(s, false));
      else if (key === 'enum' || key === 'required') out[key] = value;
      else out[key] = visit(value, false);
    }
    if (top || !out.properties) return out;
    const text = JSON.stringify(out);
    let name = byText.get(text);
    if (name === undefined) {
      name = `o${byText.size}`;
      byText.set(text, name);
      defs[name] = out;
    }
    return { $ref: `#/$defs/${name}` };
  };
  return { ...visit(schema, true), $defs: defs };
}

function writeSchemas(crds: Crd[]): void {
  fs.rmSync(schemasDir, { recursive: true, force: true });
  fs.mkdirSync(schemasDir, { recursive: true });
  const entries: string[] = [];
  for (const crd of crds) {
    const base = `${crd.group}_${crd.version}_${crd.kind}`.toLowerCase();
    const schema = strict(crd.schema);
    fs.writeFileSync(path.join(schemasDir, `${base}.json`), JSON.stringify(schema, null, 1) + '\n');
    fs.writeFileSync(path.join(schemasDir, `${base}.validate.js`), validatorModule(schema));
    entries.push(`  '${crd.group}/${crd.version}/${crd.kind}': '${base}',`);
  }
  fs.writeFileSync(path.join(schemasDir, 'index.ts'), [
    '// Generated by scripts/import-crds.ts from the upstream CRDs; do not edit.',
    '// Keys are "<group>/<version>/<kind>"; values name the files beside this one: the strict schema',
    '// (<name>.json, for reading) and its precompiled validator (<name>.validate.js, loaded at synth).',
    'export const SCHEMA_FILES: Readonly<Record<string, string>> = {',
    ...entries,
    '};',
    '',
  ].join('\n'));
}

function writeImports(crds: Crd[]): void {
  fs.rmSync(importsDir, { recursive: true, force: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  try {
    const groups = [...new Set(crds.map((c) => c.group))].sort();
    for (const group of groups) {
      const file = path.join(work, `${group}.yaml`);
      const docs = crds.filter((c) => c.group === group).map((c) => YAML.stringify(c.document));
      fs.writeFileSync(file, docs.join('---\n'));
      execFileSync('npx', ['--yes', 'cdk8s', 'import', file, '--language', 'typescript', '--output', importsDir, '--no-save', '--no-check-upgrade'], {
        cwd: root,
        stdio: 'inherit',
      });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const crds = readCrds();
writeSchemas(crds);
writeCelRules(crds, schemasDir);
writeImports(crds);
console.log(`imported ${crds.length} CRDs from ${crdsDir}: ${crds.map((c) => `${c.kind} (${c.group}/${c.version})`).join(', ')}`);
