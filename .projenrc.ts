import { cdk8s, javascript, JsonFile } from 'projen';

// Files that are generated from ../shared/crds by `npx projen import-crds`: committed, but
// neither linted nor counted in coverage.
const GENERATED = ['src/imports/**', 'src/schemas/**'];

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-pg-reliability',
  description:
    'cdk8s constructs that synthesize a reliable PostgreSQL stack: pooling, replication, backups, restore tests, migrations, monitoring, CloudNativePG and Patroni.',
  author: 'cdk8s-pg-reliability maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-2d6e00b0.example',
  repositoryUrl: 'https://github.com/maintainers/cdk8s-pg-reliability.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk8s', 'kubernetes', 'postgresql', 'pgbouncer', 'pgbackrest', 'cloudnative-pg', 'patroni'],

  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Not jsii modules, so they travel inside the package.
  bundledDeps: [
    'ajv@^8.17.0',
    // Prometheus' own PromQL grammar (lezer), for the alert rules' expressions.
    '@prometheus-io/lezer-promql@^0.315.0',
    '@lezer/lr@^1.4.0',
    '@lezer/highlight@^1.2.0',
  ],
  devDeps: [
    'cdk8s-cli@^2.200.0',
    'kubernetes-models@^4.4.0',
    'fast-check@^4.0.0',
    'yaml@^2.6.0',
    'ts-node@^10.9.2',
    '@types/node@^20.0.0',
    // The CRDs' CEL rules are compiled to JavaScript at import-crds; the interpreter is the
    // compiler's parser and the tests' reference, never loaded at synth.
    '@bufbuild/cel@^0.6.1',
    '@bufbuild/protobuf@^2.6.2',
  ],

  // CI is .ci/run; there is no GitHub here and nothing is released from this repository yet.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,

  jestOptions: {
    // --ci: a changed snapshot fails instead of being rewritten.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/contract/'],
      // Compiling the CNPG Cluster and Pooler schemas takes seconds on a busy machine.
      testTimeout: 30_000,
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/src/imports/', '<rootDir>/src/schemas/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'projenrc'],
    ignorePatterns: GENERATED,
  },
  tsconfigDev: {
    include: ['../src/**/*.ts', '../examples/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
  gitignore: ['/contract-report.json', '/.ci-synth-1/'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/scripts/', '/.ci/', '/docs/'] },
});

// The precompiled schema validators and the CEL rules are read at synth; tsc does not copy them into lib/.
project.compileTask.exec('mkdir -p lib/schemas && cp src/schemas/*.json src/schemas/*.validate.js lib/schemas/');
// jsii 6 warns on every run that Node 20 is past end-of-life; the machines here run Node 20.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_RELEASE', '1');

// eslint's project service looks for the nearest tsconfig.json: give examples/ and scripts/ one
// that reuses the dev settings.
for (const dir of ['examples', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../src/**/*.ts'] },
  });
}

// Type-check what jsii does not compile (tests, examples, scripts) before jest runs: the
// example runners use ts-node without type checking.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// ts-node without type checking: examples and scripts are type-checked by the build's eslint
// and tsc passes; the runners only need to execute them.
const tsNode = 'ts-node --transpile-only --project test/tsconfig.json';

project.addTask('synth', {
  description: 'Synthesize every example app into dist/<example>/<chart>.k8s.yaml',
  exec: `${tsNode} scripts/synth-examples.ts`,
});

project.addTask('bench', {
  description: 'Print synth time and peak heap for N copies of an example against raw ApiObjects',
  exec: 'node -r ts-node/register/transpile-only scripts/bench.ts',
  env: { TS_NODE_PROJECT: 'test/tsconfig.json' },
});

project.addTask('bench:pgbouncer', {
  description: 'TPS through PgBouncer at 1000 clients vs the best direct TPS (needs the contract-test programs)',
  exec: `${tsNode} scripts/bench-pgbouncer.ts`,
});

project.addTask('import-crds', {
  description: 'Regenerate src/imports and src/schemas from the CRDs in $CRDS_DIR (default ../shared/crds)',
  exec: `${tsNode} scripts/import-crds.ts`,
});

project.addTask('test:contract', {
  description: 'Contract tests: the rendered files given to the real programs on 127.0.0.1',
  exec:
    "jest --ci --runInBand --coverage=false --testPathIgnorePatterns=/node_modules/ --testMatch '<rootDir>/test/contract/**/*.test.ts'",
  receiveArgs: true,
});

project.synth();
