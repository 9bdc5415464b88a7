import * as fs from 'fs';
import * as path from 'path';
import { isCelList, isCelMap, isCelUint, parse } from '@bufbuild/cel';
import { ApiObject, JsonPatch, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { loadCelModule, referencePrograms, renderCelModule } from '../../scripts/cel-to-js';
import { celRulesData, celRulesOf, readCrdVersions, renderCelPrograms, renderCelRules } from '../../scripts/extract-cel-rules';
import { CnpgCluster } from '../../src';
import { CelError, CelUint } from '../../src/core/cel-runtime';
import { celErrors, celErrorsAgainst, CelPrograms, CelRule, CelRulesOfKind, patternText, skippedCelRules } from '../../src/core/cel-validation';
import { schemaErrors } from '../../src/core/schema-errors';
import { synthValidated } from '../helpers/synth';

const root = path.resolve(__dirname, '..', '..');
const shipped: Record<string, CelRulesOfKind> = JSON.parse(fs.readFileSync(path.join(root, 'src', 'schemas', 'cel-rules.json'), 'utf8'));

// Schema-valid objects of each kind with a rule; each case adds the fields its rule reads.
const BASE: Record<string, any> = {
  'postgresql.cnpg.io/v1/Cluster': { spec: { instances: 1 } },
  'postgresql.cnpg.io/v1/Pooler': { spec: { cluster: { name: 'pg' }, pgbouncer: { poolMode: 'session' } } },
  'barmancloud.cnpg.io/v1/ObjectStore': { spec: { configuration: { destinationPath: 's3://bucket/pg' } } },
};

const catalog = { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'postgres', major: 17 };
const componentCatalog = { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'components', key: 'pgbouncer' };
const initdb = (fields: object) => ({ spec: { bootstrap: { initdb: fields } } });
const synchronous = (fields: object) => ({ spec: { postgresql: { synchronous: { method: 'any', number: 1, ...fields } } } });

interface Case {
  /** The object fields (merged over BASE) that satisfy the rule. */
  readonly passing: object;
  /** The same but breaking the rule (still structurally valid). */
  readonly violating: object;
}

/** Keyed "<kind> <location>: <rule>"; every non-transition rule of the shipped CRDs needs one. */
const CASES: Record<string, Case> = {
  'barmancloud.cnpg.io/v1/ObjectStore spec.configuration: !has(self.serverName)': {
    passing: {},
    violating: { spec: { configuration: { serverName: 'pg' } } },
  },
  "barmancloud.cnpg.io/v1/ObjectStore spec.instanceSidecarConfiguration.additionalContainerArgs: !self.exists(a, a.startsWith('--log-level'))": {
    passing: { spec: { instanceSidecarConfiguration: { additionalContainerArgs: ['--max-parallel=2', '--level=3'] } } },
    violating: { spec: { instanceSidecarConfiguration: { additionalContainerArgs: ['--max-parallel=2', '--log-level=debug'] } } },
  },
  'postgresql.cnpg.io/v1/Cluster spec: !(has(self.imageCatalogRef) && has(self.imageName))': {
    passing: { spec: { imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5' } },
    violating: { spec: { imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5', imageCatalogRef: catalog } },
  },
  "postgresql.cnpg.io/v1/Cluster spec.bootstrap.initdb: !has(self.builtinLocale) || self.localeProvider == 'builtin'": {
    passing: initdb({ localeProvider: 'builtin', builtinLocale: 'C.UTF-8' }),
    violating: initdb({ localeProvider: 'icu', builtinLocale: 'C.UTF-8' }),
  },
  "postgresql.cnpg.io/v1/Cluster spec.bootstrap.initdb: !has(self.icuLocale) || self.localeProvider == 'icu'": {
    passing: initdb({ localeProvider: 'icu', icuLocale: 'en-US' }),
    violating: initdb({ localeProvider: 'libc', icuLocale: 'en-US' }),
  },
  "postgresql.cnpg.io/v1/Cluster spec.bootstrap.initdb: !has(self.icuRules) || self.localeProvider == 'icu'": {
    passing: initdb({ localeProvider: 'icu', icuLocale: 'en-US', icuRules: '&V << w <<< W' }),
    violating: initdb({ localeProvider: 'builtin', builtinLocale: 'C', icuRules: '&V << w <<< W' }),
  },
  "postgresql.cnpg.io/v1/Cluster spec.imageCatalogRef: self.kind == 'ImageCatalog' || self.kind == 'ClusterImageCatalog'": {
    passing: { spec: { imageCatalogRef: { ...catalog, kind: 'ClusterImageCatalog' } } },
    violating: { spec: { imageCatalogRef: { ...catalog, kind: 'ConfigMap' } } },
  },
  "postgresql.cnpg.io/v1/Cluster spec.imageCatalogRef: self.apiGroup == 'postgresql.cnpg.io'": {
    passing: { spec: { imageCatalogRef: catalog } },
    violating: { spec: { imageCatalogRef: { ...catalog, apiGroup: 'example.com' } } },
  },
  "postgresql.cnpg.io/v1/Cluster spec.postgresql.synchronous: self.dataDurability!='preferred' || ((!has(self.standbyNamesPre) || self.standbyNamesPre.size()==0) && (!has(self.standbyNamesPost) || self.standbyNamesPost.size()==0))": {
    passing: synchronous({ dataDurability: 'preferred', standbyNamesPre: [] }),
    violating: synchronous({ dataDurability: 'preferred', standbyNamesPost: ['dr-site'] }),
  },
  'postgresql.cnpg.io/v1/Cluster spec.postgresql.synchronous.number: self > 0': {
    passing: synchronous({ number: 2 }),
    violating: synchronous({ number: 0 }),
  },
  'postgresql.cnpg.io/v1/Pooler spec.pgbouncer: !(has(self.image) && has(self.imageCatalogRef))': {
    passing: { spec: { pgbouncer: { image: 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1' } } },
    violating: { spec: { pgbouncer: { image: 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1', imageCatalogRef: componentCatalog } } },
  },
  "postgresql.cnpg.io/v1/Pooler spec.pgbouncer.imageCatalogRef: self.kind == 'ImageCatalog' || self.kind == 'ClusterImageCatalog'": {
    passing: { spec: { pgbouncer: { imageCatalogRef: componentCatalog } } },
    violating: { spec: { pgbouncer: { imageCatalogRef: { ...componentCatalog, kind: 'Secret' } } } },
  },
  "postgresql.cnpg.io/v1/Pooler spec.pgbouncer.imageCatalogRef: self.apiGroup == 'postgresql.cnpg.io'": {
    passing: { spec: { pgbouncer: { imageCatalogRef: componentCatalog } } },
    violating: { spec: { pgbouncer: { imageCatalogRef: { ...componentCatalog, apiGroup: '' } } } },
  },
};

const caseKey = (kind: string, rule: CelRule) => `${kind} ${patternText(rule.at)}: ${rule.rule}`;
// @bufbuild/cel's evaluation: the reference every compiled rule must agree with.
const reference = referencePrograms();
/** The two evaluations may explain an error differently (the verdict and the message are the same). */
const sameVerdict = (errors: string[]) => errors.map((e) => e.replace(/ could not be evaluated: .*\)$/, ' could not be evaluated)'));
/** The rules of `kind` compiled as scripts/extract-cel-rules.ts compiles the shipped ones. */
const compiledFor = (kind: CelRulesOfKind): CelPrograms => loadCelModule(renderCelPrograms({ kind }));
const shippedRules = Object.entries(shipped).flatMap(([kind, { rules }]) => rules.map((rule) => ({ kind, rule, key: caseKey(kind, rule) })));
const evaluated = shippedRules.filter(({ rule }) => !rule.transition);

function manifestOf(kind: string, fields: object): any {
  const [group, version, kindName] = kind.split('/');
  return merge({ apiVersion: `${group}/${version}`, kind: kindName, metadata: { name: 'subject' } }, merge(BASE[kind] ?? {}, fields));
}

function merge(a: any, b: any): any {
  if (!isPlainObject(a) || !isPlainObject(b)) return b;
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = key in a ? merge(a[key], value) : value;
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PROPERTY_RUNS = 500;

/**
 * JSON values of the kind a rule reads: objects with the field names it selects (present,
 * absent or null), the strings it compares with, ints and doubles around 0, wrong types, lists
 * of 0-3 items.
 */
function nearShapeOf(rule: CelRule): fc.Arbitrary<unknown> {
  const fields = new Set<string>(['other']);
  const strings = new Set<string>(['', 'x']);
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const kind = (node as any).exprKind;
    if (kind?.case === 'selectExpr') fields.add(kind.value.field);
    if (kind?.case === 'constExpr' && kind.value.constantKind.case === 'stringValue') strings.add(kind.value.constantKind.value);
    Object.values(node).forEach(visit);
  };
  visit(parse(rule.rule).expr);
  for (const s of [...strings]) if (s) strings.add(`${s}=1`);
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ maxDepth: 3 }, tie('leaf'), tie('object'), tie('list')),
    leaf: fc.oneof(fc.constantFrom(...strings), fc.integer({ min: -2, max: 3 }), fc.constantFrom(0.5, -1.5, 1e300), fc.boolean(), fc.constant(null)),
    object: fc.dictionary(fc.constantFrom(...fields), tie('value'), { maxKeys: 4 }),
    list: fc.array(tie('value'), { maxLength: 3 }),
  }));
  return fc.oneof({ arbitrary: fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 4 }), weight: 3 }, { arbitrary: value, weight: 2 });
}

/** `value` at a rule's location: one element for `[*]`, one map value for `{*}`. */
function placeAt(at: readonly string[], value: unknown): any {
  return at.reduceRight<unknown>((inner, segment) => (segment === '[*]' ? [inner] : segment === '{*}' ? { key: inner } : { [segment]: inner }), value);
}

describe('CEL rules of the shipped CRDs', () => {
  test('GIVEN the shipped rules and the CASES table WHEN matched by key THEN every evaluated rule has a case and every case a rule', () => {
    // WHEN the evaluated rules and the cases are matched
    const missing = evaluated.filter(({ key }) => !(key in CASES)).map(({ key }) => `no case for rule ${key}`);
    const stale = Object.keys(CASES).filter((key) => !evaluated.some((r) => r.key === key)).map((key) => `case for no rule: ${key}`);
    // THEN none is left over, and there are 13 evaluated rules
    expect([...missing, ...stale]).toEqual([]);
    expect(evaluated).toHaveLength(13);
  });

  describe.each(evaluated.map(({ kind, rule, key }) => [key, kind, rule] as const))('%s', (key, kind, rule) => {
    const testCase = CASES[key];
    const expectedMessage = () => {
      const at = `${patternText(rule.at)}${rule.fieldPath ?? ''}`;
      return `${at}: ${rule.message} (x-kubernetes-validations rule ${JSON.stringify(rule.rule)})`;
    };

    test('GIVEN the passing object WHEN checked THEN it is schema-valid and has no CEL error', () => {
      // GIVEN the case's passing object
      if (!testCase) throw new Error(`no case for rule ${key}`);
      const manifest = manifestOf(kind, testCase.passing);
      // WHEN checked against the schema and the CEL rules THEN there is no error
      expect(schemaErrors(manifest)).toEqual([]);
      expect(celErrors(manifest)).toEqual([]);
    });

    test('GIVEN the violating object WHEN checked THEN it fails exactly this rule, with its message and path', () => {
      // GIVEN the case's violating object
      if (!testCase) throw new Error(`no case for rule ${key}`);
      // WHEN its CEL rules are evaluated THEN the one error is this rule's, at its path
      expect(celErrors(manifestOf(kind, testCase.violating))).toEqual([expectedMessage()]);
    });

    test('GIVEN the passing and the violating object WHEN the compiled rule and @bufbuild/cel evaluate them THEN they agree on both', () => {
      // GIVEN the kind with only this rule
      if (!testCase) throw new Error(`no case for rule ${key}`);
      const only = { ...shipped[kind], rules: [rule] };
      // WHEN each object is checked by the compiled rule and by the reference THEN the errors are the same
      for (const fields of [testCase.passing, testCase.violating]) {
        const manifest = manifestOf(kind, fields);
        expect(celErrorsAgainst(only, manifest)).toEqual(celErrorsAgainst(only, manifest, reference));
      }
    });

    test('property: GIVEN random objects near the rule\'s shape WHEN the compiled rule and @bufbuild/cel evaluate them THEN they agree', () => {
      // GIVEN the kind with only this rule, and random values placed at the rule's location
      const only = { ...shipped[kind], rules: [rule] };
      // WHEN both evaluate each object THEN the verdicts and messages are the same
      fc.assert(fc.property(nearShapeOf(rule), (self) => {
        const manifest = merge(manifestOf(kind, {}), placeAt(rule.at, self));
        expect(sameVerdict(celErrorsAgainst(only, manifest))).toEqual(sameVerdict(celErrorsAgainst(only, manifest, reference)));
      }), { numRuns: PROPERTY_RUNS });
    });
  });

  test('GIVEN the transition rules (oldSelf) WHEN the rules run at synth THEN they are skipped and listed', () => {
    // GIVEN the shipped transition rules, each reading oldSelf
    const transitions = shippedRules.filter(({ rule }) => rule.transition);
    expect(transitions.map(({ rule }) => rule.rule).every((r) => r.includes('oldSelf'))).toBe(true);
    // WHEN the skipped rules are listed THEN they are exactly the five transition rules
    expect(skippedCelRules().map((s) => `${s.kind} ${s.location}: ${s.rule}`)).toEqual(transitions.map(({ key }) => key));
    expect(skippedCelRules()).toHaveLength(5);
    // WHEN a manifest that would break them on update is checked THEN nothing is reported: there is no oldSelf
    expect(celErrors(manifestOf('postgresql.cnpg.io/v1/ScheduledBackup', { spec: { cluster: { name: 'pg' }, schedule: '0 0 2 * * *' } }))).toEqual([]);
  });

  test('GIVEN the README WHEN its list of skipped rules is read THEN it names every skipped rule', () => {
    // GIVEN the README
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    // WHEN the list after "are skipped:" is read
    const listed = readme.replace(/\s+/g, ' ').split('are skipped:')[1].split('. ')[0];
    // "Pooler `spec.cluster` and `spec.serviceAccountName`, ScheduledBackup `spec.cluster` (...)"
    const byKind = (kind: string) => listed.slice(listed.indexOf(` ${kind} \``)).split(/,|\(/)[0];
    // THEN each skipped rule's location is named under its kind
    for (const skipped of skippedCelRules()) {
      const kind = skipped.kind.split('/')[2];
      expect(byKind(kind)).toContain(`\`${skipped.location}\``);
    }
  });

  test('GIVEN the CRDs WHEN scripts/extract-cel-rules.ts renders them THEN the result is src/schemas/cel-rules.json and cel-rules.validate.js', () => {
    // GIVEN the CRDs and the shipped files
    const crdsDir = path.resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
    const crds = readCrdVersions(crdsDir);
    const read = (file: string) => fs.readFileSync(path.join(root, 'src', 'schemas', file), 'utf8');
    // WHEN rendered again THEN they are byte-identical to the shipped files
    expect(renderCelRules(crds)).toEqual(read('cel-rules.json'));
    expect(renderCelPrograms(celRulesData(crds))).toEqual(read('cel-rules.validate.js'));
  });
});

describe('evaluation follows Kubernetes', () => {
  const cluster = (spec: object) => manifestOf('postgresql.cnpg.io/v1/Cluster', { spec });

  test('GIVEN a Cluster without the location of a rule WHEN checked THEN the rule is not evaluated', () => {
    // WHEN a Cluster bootstraps by recovery (no initdb, where the locale rules live) THEN there is no error
    expect(celErrors(cluster({ bootstrap: { recovery: { source: 'origin' } } }))).toEqual([]);
  });

  test('GIVEN a rule that reads an absent field WHEN checked THEN the rule errs, and the erring rule rejects the object', () => {
    // GIVEN initdb with builtinLocale and no localeProvider, WHEN checked
    const errors = celErrors(cluster({ bootstrap: { initdb: { builtinLocale: 'C.UTF-8' } } }));
    // THEN the one error says the rule could not be evaluated, naming the absent field
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^spec\.bootstrap\.initdb: builtinLocale is only available when localeProvider is set to `builtin` \(x-kubernetes-validations rule ".*" could not be evaluated: .*localeProvider\)$/);
  });

  test('GIVEN a rule whose || has an erring side WHEN the other side is true or false THEN the error is absorbed or reported (CEL logic is commutative over errors)', () => {
    // GIVEN dataDurability absent, so its comparison errs
    // WHEN the other side of || is true THEN there is no error
    expect(celErrors(cluster({ postgresql: { synchronous: { method: 'first', number: 1 } } }))).toEqual([]);
    // WHEN the other side of || is false THEN the rule could not be evaluated
    expect(celErrors(cluster({ postgresql: { synchronous: { method: 'first', number: 1, standbyNamesPre: ['a'] } } }))[0]).toMatch(/could not be evaluated/);
  });

  test('GIVEN a Cluster that violates three rules WHEN checked THEN all three are reported', () => {
    // GIVEN imageName with imageCatalogRef, a catalog kind Foo and synchronous number 0, WHEN checked THEN three errors
    expect(celErrors(cluster({ imageName: 'x', imageCatalogRef: { ...catalog, kind: 'Foo' }, postgresql: { synchronous: { method: 'any', number: 0 } } }))).toHaveLength(3);
  });

  test('GIVEN the CEL libraries mocked to record loading WHEN a CnpgCluster is synthesized THEN none is required: the rules run compiled', () => {
    jest.isolateModules(() => {
      // GIVEN the CEL libraries mocked so that loading one is recorded
      const required: string[] = [];
      for (const name of ['@bufbuild/cel', '@bufbuild/cel/ext', '@bufbuild/protobuf']) {
        jest.doMock(name, () => {
          required.push(name);
          return jest.requireActual(name);
        });
      }
      /* eslint-disable @typescript-eslint/no-require-imports */
      const lib = require('../../src') as typeof import('../../src');
      const { Testing: IsolatedTesting } = require('cdk8s') as typeof import('cdk8s');
      const { synthValidated: isolatedSynth } = require('../helpers/synth') as typeof import('../helpers/synth');
      /* eslint-enable @typescript-eslint/no-require-imports */
      // WHEN a CnpgCluster is synthesized with validation, from isolated modules
      const chart = IsolatedTesting.chart();
      new lib.CnpgCluster(chart, 'Db', { name: 'db', storageSize: Size.gibibytes(1) });
      // THEN it synthesizes
      expect(isolatedSynth(chart).map((m) => m.kind)).toContain('Cluster');
      // THEN the check did run: a violation is reported by the same isolated modules
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../src/core/cel-validation') as typeof import('../../src/core/cel-validation');
      expect(isolated.celErrors(cluster({ imageName: 'x', imageCatalogRef: catalog }))).toHaveLength(1);
      // THEN no CEL library was loaded
      expect(required).toEqual([]);
      expect(Object.keys(require.cache).filter((file) => file.includes('@bufbuild'))).toEqual([]);
    });
  });
});

describe('an escape-hatch JSON patch is checked too (end to end)', () => {
  test('GIVEN a CnpgCluster that has imageName WHEN imageCatalogRef is patched onto it THEN the synth fails on the CEL rule', () => {
    // GIVEN a CnpgCluster, which sets imageName
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'db', storageSize: Size.gibibytes(1) });
    // WHEN an escape-hatch patch adds imageCatalogRef
    ApiObject.of(cluster).addJsonPatch(JsonPatch.add('/spec/imageCatalogRef', catalog));
    // THEN the synth fails with the rule's message
    expect(() => synthValidated(chart)).toThrow(/Cluster "db" spec: imageName and imageCatalogRef are mutually exclusive \(x-kubernetes-validations rule/);
  });

  test('GIVEN an unpatched CnpgCluster WHEN synthesized THEN it synthesizes', () => {
    // GIVEN the same CnpgCluster without a patch
    const chart = Testing.chart();
    new CnpgCluster(chart, 'Db', { name: 'db', storageSize: Size.gibibytes(1) });
    // WHEN synthesized with validation THEN the Cluster is written
    expect(synthValidated(chart).map((m) => m.kind)).toContain('Cluster');
  });
});

describe('extraction (scripts/extract-cel-rules.ts)', () => {
  const thing = (schema: object) => celRulesData([{ group: 'example.com', version: 'v1', kind: 'Thing', schema }])['example.com/v1/Thing'];
  const rule = (r: string, extra: object = {}) => ({ 'x-kubernetes-validations': [{ rule: r, message: 'bad', ...extra }] });

  test('GIVEN rules on the root, a list element and a map value WHEN extracted THEN their locations are properties, every list element, every map value; transition rules flagged', () => {
    // GIVEN a schema with a rule at the root, on list items and on map values (one reading oldSelf), WHEN extracted
    const rules = celRulesOf({
      type: 'object',
      ...rule('self.spec.size() >= 0'),
      properties: {
        spec: {
          type: 'object',
          properties: {
            list: { type: 'array', items: { type: 'object', ...rule('self.name != ""'), properties: { name: { type: 'string' } } } },
            map: { type: 'object', additionalProperties: { type: 'integer', ...rule('self == oldSelf') } },
          },
        },
      },
    });
    // THEN each rule has its location pattern, and only the oldSelf one is a transition rule
    expect(rules.map((r) => [patternText(r.at), r.rule, r.transition ?? false])).toEqual([
      ['', 'self.spec.size() >= 0', false],
      ['spec.list[*]', 'self.name != ""', false],
      ['spec.map.*', 'self == oldSelf', true],
    ]);
  });

  test('GIVEN rules the environment cannot evaluate WHEN extracted THEN each stops the generation, naming the problem', () => {
    // WHEN a rule calls functions the environment lacks (quantity, isSorted) THEN it names the function
    expect(() => celRulesOf({ type: 'string', ...rule('quantity(self).isGreaterThan(quantity("1Gi"))') })).toThrow(/function (quantity|isGreaterThan)\(\) is not in the CEL environment/);
    expect(() => celRulesOf({ type: 'array', ...rule('self.isSorted()') })).toThrow(/function isSorted\(\)/);
    // WHEN a rule does not parse THEN it names the rule and its location
    expect(() => celRulesOf({ type: 'string', ...rule('self ==') })).toThrow(/rule "self ==" at <root>/);
    // WHEN a rule reads an unknown variable THEN it names the variable
    expect(() => celRulesOf({ type: 'string', ...rule('self == other') })).toThrow(/unknown variable other/);
    // WHEN a messageExpression calls an unknown function THEN it names the messageExpression and the function
    expect(() => celRulesOf({ type: 'string', ...rule('self != ""', { messageExpression: 'nope(self)' }) })).toThrow(/messageExpression .*function nope\(\)/);
  });

  test('GIVEN rules on list elements and map values WHEN a manifest is checked THEN each element and value is checked, at its own path', () => {
    // GIVEN a rule on each list element (fieldPath .name) and one on each map value
    const kind = thing({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            list: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, ...rule("self.name.startsWith('a')", { fieldPath: '.name' }) } },
            limits: { type: 'object', additionalProperties: { type: 'integer', ...rule('self < 10') } },
          },
        },
      },
    });
    // WHEN a list with one bad element and a map with one bad value is checked
    const manifest = { spec: { list: [{ name: 'ab' }, { name: 'b' }], limits: { cpu: 3, memory: 12 } } };
    // THEN only the bad ones are reported, each at its own path
    expect(celErrorsAgainst(kind, manifest, compiledFor(kind))).toEqual([
      'spec.list[1].name: bad (x-kubernetes-validations rule "self.name.startsWith(\'a\')")',
      'spec.limits.memory: bad (x-kubernetes-validations rule "self < 10")',
    ]);
  });

  test('GIVEN a compiled rule that throws (a compiler gap) WHEN a manifest is checked THEN it is reported against its object and rule, not a crash', () => {
    // GIVEN a rule whose compiled program throws
    const kind = thing({ type: 'object', properties: { spec: { type: 'object', ...rule('self.a == 1') } } });
    const throwing: CelPrograms = () => () => {
      throw new TypeError('boom');
    };
    // WHEN a manifest is checked THEN the error names the location and rule, as an internal error
    expect(celErrorsAgainst(kind, { spec: { a: 1 } }, throwing)).toEqual([
      'spec: bad (x-kubernetes-validations rule "self.a == 1" could not be evaluated: internal error: boom)',
    ]);
  });

  test('GIVEN rules reading ints, doubles, escaped names and root metadata WHEN extracted and checked THEN values are bound as Kubernetes binds them', () => {
    // GIVEN rules that read an int, a double, escaped property names and the root's metadata
    const kind = thing({
      type: 'object',
      ...rule("!has(self.metadata.labels) && self.metadata.name == 'n'"),
      properties: {
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          ...rule('self.count + 1 == 3 && self.ratio * 2.0 == 4.0 && self.__namespace__ == "ns" && self.__dash__ok == 1'),
          properties: { 'count': { type: 'integer' }, 'ratio': { type: 'number' }, 'namespace': { type: 'string' }, '-ok': { type: 'integer' } },
        },
      },
    });
    // WHEN extracted THEN the escaped names and the double are recorded
    expect(kind.escaped).toEqual([['spec']]);
    expect(kind.doubles).toEqual([['spec', 'ratio']]);
    // WHEN a manifest that satisfies them (root metadata holds only name, as in Kubernetes) is checked
    const manifest = { metadata: { name: 'n', labels: { a: 'b' } }, spec: { 'count': 2, 'ratio': 2, 'namespace': 'ns', '-ok': 1 } };
    // THEN neither the compiled rules nor the reference reports an error
    expect(celErrorsAgainst(kind, manifest, compiledFor(kind))).toEqual([]);
    expect(celErrorsAgainst(kind, manifest, reference)).toEqual([]);
  });

  test('GIVEN a rule with a messageExpression WHEN the field is set or null THEN the message is computed, and null counts as absent', () => {
    // GIVEN a rule forbidding spec.a, its message computed from the value
    const kind = thing({
      type: 'object',
      properties: { spec: { type: 'object', properties: { a: { type: 'string' } }, ...rule('!has(self.a)', { messageExpression: "'a is ' + self.a" }) } },
    });
    // WHEN spec.a is set THEN the message is the messageExpression's
    expect(celErrorsAgainst(kind, { spec: { a: 'set' } }, compiledFor(kind))).toEqual(['spec: a is set (x-kubernetes-validations rule "!has(self.a)")']);
    // WHEN spec.a is null THEN it counts as absent: no error
    expect(celErrorsAgainst(kind, { spec: { a: null } }, compiledFor(kind))).toEqual([]);
  });
});

describe('compilation to JavaScript (scripts/cel-to-js.ts)', () => {
  /** JSON as cel-validation binds it, without schema hints: objects are maps (null fields absent), integers ints. */
  const bound = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(bound);
    if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
    if (value === null || typeof value !== 'object') return value;
    return new Map(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, bound(v)]));
  };
  /** Results the two evaluations can be compared by: errors are equal whatever their message. */
  const canonical = (value: unknown): string => {
    if (value instanceof CelError || (value instanceof Error)) return 'error';
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'number') return Object.is(value, -0) ? '-0.0' : `${value}d`;
    if (value instanceof CelUint || isCelUint(value)) return `${value.value}u`;
    if (Array.isArray(value) || isCelList(value)) return `[${[...value].map(canonical).join(', ')}]`;
    if (value instanceof Map || isCelMap(value)) return `{${[...value].map(([k, v]) => `${canonical(k)}: ${canonical(v)}`).sort().join(', ')}}`;
    return JSON.stringify(value);
  };

  // The subset beyond the shipped rules: operators, macros, conversions, indexes and regexes.
  const EXPRESSIONS = [
    'self.a + self.b', 'self.a - self.b', 'self.a * self.b', 'self.a / self.b', 'self.a % self.b', '-self.a',
    'self.a < self.b', 'self.a <= self.b', 'self.a > self.b', 'self.a >= self.b', 'self.a == self.b', 'self.a != self.b',
    'self.a in self.b', 'size(self.a)', 'self.a.size()', 'self.a.startsWith(self.b)', 'self.a.endsWith(self.b)', 'self.a.contains(self.b)',
    "self.a.matches('^[a-z]+(-[a-z0-9]+)*$')", "self.a.matches('a.c|\\\\s{2}|[\\\\d_]+x?$')", "self.a.matches('^(?:ab){1,2}\\\\.[^b]*$')",
    'self.a.all(x, x > 0)', 'self.a.exists(x, x == 1)', 'self.a.exists_one(x, x == 1)', 'self.a.map(x, x * 2).size()',
    'self.a.filter(x, x > 1).size()', 'self.a.exists(k, k == "a")', 'self.a.all(x, self.b.exists(y, y == x))',
    'self.a ? 1 : 2', 'self.a ? self.b : self.missing', 'int(self.a)', 'string(uint(self.a))', 'double(self.a)', 'string(self.a)',
    '1u + 2u == 3u', '1u - 2u == 0u', '1 == 1.0', '1u < 2', '2.5 > 2', '9223372036854775807 + 1 > 0', '5 / 0 == 0',
    'self.a[0]', 'self.a["a"]', '[1, 2.0, "x"] == self.a', 'self.a == self.a',
    'has(self.a.a)', 'has(self.a)', '!self.a', 'self.missing || true', 'true || self.missing', 'self.missing && false',
    'false && self.missing', 'self.missing && true', 'self.a || self.b', 'self.a && self.b', "'n=' + string(size(self.a))",
  ];
  const VALUES = [0, 1, 2, -3, 1.5, 0.0 + 0.25, '', 'a', 'abc', 'a-b1', 'ab.xyz', '  ', 'ab_1x', true, false, null,
    [], [1, 2], [1, 'x'], [1, 2.0, 'x'], [true], { a: 1 }, { a: { a: 1 } }, { b: 'x' }];
  const selves = VALUES.flatMap((a) => [{ a }, ...VALUES.filter((_, i) => i % 3 === 0).map((b) => ({ a, b }))]);
  const compiled = loadCelModule(renderCelModule(EXPRESSIONS.map((expression) => ({ expression, where: expression }))));

  test.each(EXPRESSIONS)('GIVEN %s WHEN compiled and evaluated on every sample THEN it gives the same value as @bufbuild/cel', (expression) => {
    // GIVEN the compiled expression and the reference
    const mine = compiled(expression);
    const theirs = reference(expression);
    // WHEN both evaluate every sample
    const differing = selves.map(bound).filter((self) => canonical(mine(self)) !== canonical(theirs(self)));
    // THEN no sample gives different results
    expect(differing.map((self) => `${canonical(self)}: ${canonical(mine(self))} vs ${canonical(theirs(self))}`)).toEqual([]);
  });

  test('property: GIVEN random values WHEN the subset is compiled and evaluated THEN it agrees with @bufbuild/cel', () => {
    // GIVEN random JSON values for self.a and self.b
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ maxDepth: 2 }, tie('leaf'), tie('list'), tie('object')),
      leaf: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -2.5, 4e18, 1e19), fc.constantFrom('', 'a', 'ab', 'x y', 'a-1'), fc.boolean(), fc.constant(null)),
      list: fc.array(tie('value'), { maxLength: 3 }),
      object: fc.dictionary(fc.constantFrom('a', 'b'), tie('value'), { maxKeys: 2 }),
    })).value;
    // WHEN each expression is evaluated by both THEN the results are the same
    fc.assert(fc.property(fc.constantFrom(...EXPRESSIONS), json, json, (expression, a, b) => {
      const self = bound({ a, b });
      expect(canonical(compiled(expression)(self))).toEqual(canonical(reference(expression)(self)));
    }), { numRuns: 5000 });
  });

  test('GIVEN expressions the compiler does not know WHEN compiled THEN the generation stops, naming the rule and what is unsupported', () => {
    // GIVEN a compile of one expression
    const compile = (expression: string) => () => renderCelModule([{ expression, where: `rule ${JSON.stringify(expression)}` }]);
    // WHEN it uses an unknown method, a struct, a bytes literal, oldSelf, a non-literal pattern or a two-variable macro THEN each is named
    expect(compile('self.a.lowerAscii() == "a"')).toThrow(/^rule "self.a.lowerAscii\(\) == \\"a\\"": the function lowerAscii\(\) as a method is not supported by scripts\/cel-to-js.ts/);
    expect(compile('{"a": 1} == self')).toThrow(/a structExpr expression is not supported/);
    expect(compile("b'x' == self")).toThrow(/a bytesValue literal is not supported/);
    expect(compile('self == oldSelf')).toThrow(/oldSelf outside a transition rule/);
    expect(compile('self.matches(self)')).toThrow(/pattern that is not a string literal/);
    expect(compile('self.exists(k, v, k == v)')).toThrow(/two-variable comprehension|unknown|not supported/);
    // WHEN extraction meets an unsupported rule THEN it fails there, not at synth: extraction compiles every evaluated rule
    expect(() => celRulesOf({ 'type': 'string', 'x-kubernetes-validations': [{ rule: 'self.lowerAscii() == "a"' }] })).toThrow(/lowerAscii\(\) as a method is not supported/);
  });

  test('GIVEN RE2 patterns WHEN compiled THEN only those JavaScript reads the same way are taken, with RE2 semantics', () => {
    // GIVEN a compile of one matches() pattern
    const matches = (pattern: string) => () => renderCelModule([{ expression: `self.matches(${JSON.stringify(pattern)})`, where: 'r' }]);
    // WHEN a pattern uses flags, \b, classes, named groups, back-references, big repeats, POSIX classes, a bad brace or \Q THEN it is refused
    for (const refused of ['(?i)abc', '\\bword', '\\pL', '(?P<n>a)', '(a)\\1', 'a{1001}', '[[:alpha:]]', 'a{', '\\Q.\\E']) {
      expect(matches(refused)).toThrow(/RE2 pattern .* is not supported/);
    }
    // WHEN `.` and `\s` are compiled
    const programs = loadCelModule(renderCelModule([{ expression: "self.matches('^a.b$')", where: 'r' }, { expression: "self.matches('^\\\\s$')", where: 's' }]));
    // THEN they follow RE2 as the reference does: `.` excludes only \n (JavaScript also excludes \r), `\s` is ASCII whitespace
    expect(programs("self.matches('^a.b$')")('a\rb')).toBe(true);
    expect(programs("self.matches('^a.b$')")('a\nb')).toBe(false);
    expect(programs("self.matches('^\\\\s$')")('\u00a0')).toBe(false);
    expect(programs("self.matches('^\\\\s$')")('\t')).toBe(true);
    expect(reference("self.matches('^a.b$')")('a\rb')).toBe(true);
    expect(reference("self.matches('^\\\\s$')")('\u00a0')).toBe(false);
  });
});
