import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch, Size, Testing } from 'cdk8s';
import { celRulesData, celRulesOf, readCrdVersions, renderCelRules } from '../../scripts/extract-cel-rules';
import { CnpgCluster, SchemaValidation } from '../../src';
import { celErrors, celErrorsAgainst, CelRule, CelRulesOfKind, patternText, skippedCelRules } from '../../src/core/cel-validation';
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

describe('CEL rules of the shipped CRDs', () => {
  test('every evaluated rule has a case and every case a rule', () => {
    const missing = evaluated.filter(({ key }) => !(key in CASES)).map(({ key }) => `no case for rule ${key}`);
    const stale = Object.keys(CASES).filter((key) => !evaluated.some((r) => r.key === key)).map((key) => `case for no rule: ${key}`);
    expect([...missing, ...stale]).toEqual([]);
    expect(evaluated).toHaveLength(13);
  });

  describe.each(evaluated.map(({ kind, rule, key }) => [key, kind, rule] as const))('%s', (key, kind, rule) => {
    const testCase = CASES[key];
    const expectedMessage = () => {
      const at = `${patternText(rule.at)}${rule.fieldPath ?? ''}`;
      return `${at}: ${rule.message} (x-kubernetes-validations rule ${JSON.stringify(rule.rule)})`;
    };

    test('a passing object (schema-valid too) has no CEL error', () => {
      if (!testCase) throw new Error(`no case for rule ${key}`);
      const manifest = manifestOf(kind, testCase.passing);
      expect(SchemaValidation.errorsOf(manifest)).toEqual([]);
      expect(celErrors(manifest)).toEqual([]);
    });

    test('a violating object fails exactly this rule, with its message and path', () => {
      if (!testCase) throw new Error(`no case for rule ${key}`);
      expect(celErrors(manifestOf(kind, testCase.violating))).toEqual([expectedMessage()]);
    });
  });

  test('transition rules (oldSelf) are skipped at synth and listed', () => {
    const transitions = shippedRules.filter(({ rule }) => rule.transition);
    expect(transitions.map(({ rule }) => rule.rule).every((r) => r.includes('oldSelf'))).toBe(true);
    expect(skippedCelRules().map((s) => `${s.kind} ${s.location}: ${s.rule}`)).toEqual(transitions.map(({ key }) => key));
    expect(skippedCelRules()).toHaveLength(5);
    // Even a manifest that would break them on update is not reported: there is no oldSelf.
    expect(celErrors(manifestOf('postgresql.cnpg.io/v1/ScheduledBackup', { spec: { cluster: { name: 'pg' }, schedule: '0 0 2 * * *' } }))).toEqual([]);
  });

  test('the README names every skipped rule', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const listed = readme.replace(/\s+/g, ' ').split('are skipped:')[1].split('. ')[0];
    // "Pooler `spec.cluster` and `spec.serviceAccountName`, ScheduledBackup `spec.cluster` (...)"
    const byKind = (kind: string) => listed.slice(listed.indexOf(` ${kind} \``)).split(/,|\(/)[0];
    for (const skipped of skippedCelRules()) {
      const kind = skipped.kind.split('/')[2];
      expect(byKind(kind)).toContain(`\`${skipped.location}\``);
    }
  });

  test('src/schemas/cel-rules.json is what scripts/extract-cel-rules.ts makes of the CRDs', () => {
    const crdsDir = path.resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
    const written = fs.readFileSync(path.join(root, 'src', 'schemas', 'cel-rules.json'), 'utf8');
    expect(renderCelRules(readCrdVersions(crdsDir))).toEqual(written);
  });
});

describe('evaluation follows Kubernetes', () => {
  const cluster = (spec: object) => manifestOf('postgresql.cnpg.io/v1/Cluster', { spec });

  test('a rule whose location is absent is not evaluated', () => {
    expect(celErrors(cluster({ bootstrap: { recovery: { source: 'origin' } } }))).toEqual([]);
  });

  test('a rule that reads an absent field errs, and an erring rule rejects the object', () => {
    const errors = celErrors(cluster({ bootstrap: { initdb: { builtinLocale: 'C.UTF-8' } } }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^spec\.bootstrap\.initdb: builtinLocale is only available when localeProvider is set to `builtin` \(x-kubernetes-validations rule ".*" could not be evaluated: .*localeProvider\)$/);
  });

  test('an error absorbed by || is no error (CEL logic is commutative over errors)', () => {
    // dataDurability is absent: its comparison errs, the other side of || is true.
    expect(celErrors(cluster({ postgresql: { synchronous: { method: 'first', number: 1 } } }))).toEqual([]);
    expect(celErrors(cluster({ postgresql: { synchronous: { method: 'first', number: 1, standbyNamesPre: ['a'] } } }))[0]).toMatch(/could not be evaluated/);
  });

  test('several violations of one object are all reported', () => {
    expect(celErrors(cluster({ imageName: 'x', imageCatalogRef: { ...catalog, kind: 'Foo' }, postgresql: { synchronous: { method: 'any', number: 0 } } }))).toHaveLength(3);
  });

  test('kinds without rules, and kinds with transition rules only, never load the CEL library', () => {
    jest.isolateModules(() => {
      let loaded = false;
      jest.doMock('@bufbuild/cel', () => {
        loaded = true;
        return jest.requireActual('@bufbuild/cel');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../src/core/cel-validation') as typeof import('../../src/core/cel-validation');
      expect(isolated.celErrors({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', spec: {} })).toEqual([]);
      expect(isolated.celErrors(manifestOf('postgresql.cnpg.io/v1/Backup', { spec: { cluster: { name: 'pg' } } }))).toEqual([]);
      expect(isolated.celErrors({ apiVersion: 'v1', kind: 'ConfigMap' })).toEqual([]);
      expect(loaded).toBe(false);
      expect(isolated.celErrors(cluster({}))).toEqual([]);
      expect(loaded).toBe(true);
    });
  });
});

describe('an escape-hatch JSON patch is checked too (end to end)', () => {
  test('imageCatalogRef patched onto a CnpgCluster that has imageName fails the synth', () => {
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'db', storageSize: Size.gibibytes(1) });
    ApiObject.of(cluster).addJsonPatch(JsonPatch.add('/spec/imageCatalogRef', catalog));
    expect(() => synthValidated(chart)).toThrow(/Cluster "db" spec: imageName and imageCatalogRef are mutually exclusive \(x-kubernetes-validations rule/);
  });

  test('the unpatched cluster synthesizes', () => {
    const chart = Testing.chart();
    new CnpgCluster(chart, 'Db', { name: 'db', storageSize: Size.gibibytes(1) });
    expect(synthValidated(chart).map((m) => m.kind)).toContain('Cluster');
  });
});

describe('extraction (scripts/extract-cel-rules.ts)', () => {
  const thing = (schema: object) => celRulesData([{ group: 'example.com', version: 'v1', kind: 'Thing', schema }])['example.com/v1/Thing'];
  const rule = (r: string, extra: object = {}) => ({ 'x-kubernetes-validations': [{ rule: r, message: 'bad', ...extra }] });

  test('locations: properties, every list element, every map value; transition rules flagged', () => {
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
    expect(rules.map((r) => [patternText(r.at), r.rule, r.transition ?? false])).toEqual([
      ['', 'self.spec.size() >= 0', false],
      ['spec.list[*]', 'self.name != ""', false],
      ['spec.map.*', 'self == oldSelf', true],
    ]);
  });

  test('a rule the environment cannot evaluate stops the generation', () => {
    expect(() => celRulesOf({ type: 'string', ...rule('quantity(self).isGreaterThan(quantity("1Gi"))') })).toThrow(/function (quantity|isGreaterThan)\(\) is not in the CEL environment/);
    expect(() => celRulesOf({ type: 'array', ...rule('self.isSorted()') })).toThrow(/function isSorted\(\)/);
    expect(() => celRulesOf({ type: 'string', ...rule('self ==') })).toThrow(/rule "self ==" at <root>/);
    expect(() => celRulesOf({ type: 'string', ...rule('self == other') })).toThrow(/unknown variable other/);
    expect(() => celRulesOf({ type: 'string', ...rule('self != ""', { messageExpression: 'nope(self)' }) })).toThrow(/messageExpression .*function nope\(\)/);
  });

  test('list elements and map values are each checked, at their own path', () => {
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
    const manifest = { spec: { list: [{ name: 'ab' }, { name: 'b' }], limits: { cpu: 3, memory: 12 } } };
    expect(celErrorsAgainst(kind, manifest)).toEqual([
      'spec.list[1].name: bad (x-kubernetes-validations rule "self.name.startsWith(\'a\')")',
      'spec.limits.memory: bad (x-kubernetes-validations rule "self < 10")',
    ]);
  });

  test('values are bound as Kubernetes binds them: ints, doubles, escaped names, root metadata', () => {
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
    expect(kind.escaped).toEqual([['spec']]);
    expect(kind.doubles).toEqual([['spec', 'ratio']]);
    expect(celErrorsAgainst(kind, { metadata: { name: 'n', labels: { a: 'b' } }, spec: { 'count': 2, 'ratio': 2, 'namespace': 'ns', '-ok': 1 } })).toEqual([]);
  });

  test('messageExpression gives the message; null fields count as absent', () => {
    const kind = thing({
      type: 'object',
      properties: { spec: { type: 'object', properties: { a: { type: 'string' } }, ...rule('!has(self.a)', { messageExpression: "'a is ' + self.a" }) } },
    });
    expect(celErrorsAgainst(kind, { spec: { a: 'set' } })).toEqual(['spec: a is set (x-kubernetes-validations rule "!has(self.a)")']);
    expect(celErrorsAgainst(kind, { spec: { a: null } })).toEqual([]);
  });
});
