import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConnectionBudget, ContainerImage, MigrationHook, MigrationJob, MigrationJobProps, Migrations, PgBouncerDeployment, PoolMode, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function setup(props: Partial<MigrationJobProps> = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Owner', 'app-db-owner'), 'password');
  const make = (extra: Partial<MigrationJobProps> = {}) => new MigrationJob(chart, 'Migrate', {
    connection: { host: 'app-db-rw', database: 'shop', user: 'shop_owner', password },
    migrations: Migrations.sqlFiles({
      '001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nCREATE INDEX orders_total_idx ON orders (total);\n',
      '002_index.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_total2_idx ON orders (total);\n',
    }),
    ...props,
    ...extra,
  });
  return { app, chart, password, make };
}

const podOf = (manifests: any[]) => manifests.find((m) => m.kind === 'Job').spec.template.spec;
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('MigrationJob', () => {
  test('GIVEN SQL files WHEN synthesized THEN a Job runs them from a ConfigMap with the timeouts in PGOPTIONS and the password from its Secret', () => {
    // GIVEN two SQL files, one of them CONCURRENTLY
    const { chart, make } = setup();
    make();
    // WHEN synthesized
    const manifests = synthValidated(chart);
    // THEN the ConfigMap carries the files and the plan: 001 in one transaction, 002 statement by statement
    const configMap = manifests.find((m) => m.kind === 'ConfigMap');
    expect(configMap.data.plan).toBe('tx 001_orders.sql\nnotx 002_index.sql\n');
    expect(Object.keys(configMap.data).sort()).toEqual(['001_orders.sql', '002_index.sql', 'plan']);
    const pod = podOf(manifests);
    const [container] = pod.containers;
    expect(envOf(container)).toMatchObject({
      PGHOST: 'app-db-rw',
      PGPORT: '5432',
      PGDATABASE: 'shop',
      PGUSER: 'shop_owner',
      PGOPTIONS: '-c lock_timeout=3000ms -c statement_timeout=5000ms',
      MIGRATION_MODE: 'files',
      MIGRATION_MAX_ATTEMPTS: '5',
      MIGRATION_RETRY_DELAY: '5',
      PGPASSWORD: { secretKeyRef: { name: 'app-db-owner', key: 'password' } },
    });
    expect(container.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/migrations', readOnly: true }));
    expectRestricted(pod);
    const job = manifests.find((m) => m.kind === 'Job');
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.metadata.name).toMatch(/^shop-migrate-[0-9a-f]{8}$/);
  });

  test('GIVEN other files WHEN synthesized THEN the Job gets another name (a Job cannot change)', () => {
    const name = (sql: string) => {
      const { chart, make } = setup({ migrations: Migrations.sqlFiles({ '001.sql': sql }) });
      make();
      return Testing.synth(chart).find((m) => m.kind === 'Job').metadata.name;
    };
    expect(name('SELECT 1;')).not.toBe(name('SELECT 2;'));
    expect(name('SELECT 1;')).toBe(name('SELECT 1;'));
  });

  test('GIVEN a statement that locks an existing table WHEN constructed THEN it fails naming the file, line, rule and the safe way', () => {
    const { make } = setup({ migrations: Migrations.sqlFiles({ '003_index.sql': 'SELECT 1;\nCREATE INDEX orders_placed_idx ON orders (placed_at);\n' }) });
    expect(() => make()).toThrow(/\[shop\/Migrate\] migrations: got \["003_index.sql"\]; SQL the linter accepts, or a suppression comment .*\n {2}003_index.sql:2: \[create-index-non-concurrent\] CREATE INDEX on orders blocks writes.*\n {4}safe: Build it with CREATE INDEX CONCURRENTLY/);
  });

  test('GIVEN the statement with a suppression comment and a reason WHEN constructed THEN it synthesizes', () => {
    const sql = '-- lint-migrations: allow create-index-non-concurrent orders has 40 rows in every environment\nCREATE INDEX orders_placed_idx ON orders (placed_at);\n';
    const { chart, make } = setup({ migrations: Migrations.sqlFiles({ '003_index.sql': sql }) });
    make();
    expect(synthValidated(chart).find((m) => m.kind === 'ConfigMap').data['003_index.sql']).toBe(sql);
  });

  test('GIVEN a transaction-mode PgBouncer of the app as host WHEN constructed THEN it is refused; a session-mode one is accepted', () => {
    const { chart, make, password } = setup();
    const authFile = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Userlist', 'userlist'), 'userlist.txt');
    new PgBouncerDeployment(chart, 'Pooler', { name: 'app-pooler', authFile, settings: { poolMode: PoolMode.TRANSACTION, databases: [{ name: 'shop', host: 'app-db-rw' }] } });
    new PgBouncerDeployment(chart, 'SessionPooler', { name: 'session-pooler', authFile, settings: { poolMode: PoolMode.SESSION, databases: [{ name: 'shop', host: 'app-db-rw' }] } });
    expect(() => make({ connection: { host: 'app-pooler.shop.svc', database: 'shop', user: 'shop_owner', password } }))
      .toThrow('[shop/Migrate] connection.host: got "app-pooler.shop.svc"; a direct connection to the primary: shop/Pooler pools by transaction');
    expect(() => new MigrationJob(chart, 'Other', { connection: { host: 'session-pooler', database: 'shop', user: 'shop_owner', password }, migrations: Migrations.sqlFiles({ 'a.sql': 'SELECT 1;' }) })).not.toThrow();
  });

  test('GIVEN a connection budget WHEN the job and others claim more than the server has THEN the synth names the job', () => {
    const { app, chart, make } = setup();
    const budget = new ConnectionBudget(chart, 'Budget', { maxConnections: 5, superuserReservedConnections: 3 });
    budget.addConsumer('web', 2);
    make({ connectionBudget: budget });
    expect(() => app.synth()).toThrow(/  - shop\/Migrate: 1 \(MigrationJob: one psql session at a time\)/);
  });

  test.each([
    ['Argo CD', MigrationHook.ARGO_CD_PRE_SYNC, { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' }, { 'argocd.argoproj.io/sync-wave': '-1' }],
    ['Helm', MigrationHook.HELM_PRE_UPGRADE, { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' }, { 'helm.sh/hook-weight': '-1' }],
  ])('GIVEN the %s hook WHEN synthesized THEN the Job is a hook, and its ServiceAccount and ConfigMap are hooks created before it', (_tool, hook, annotations, earlier) => {
    const { chart, make } = setup({ hook });
    make();
    const manifests = synthValidated(chart);
    expect(manifests.find((m) => m.kind === 'Job').metadata.annotations).toEqual(annotations);
    for (const kind of ['ServiceAccount', 'ConfigMap']) {
      expect([kind, manifests.find((m) => m.kind === kind).metadata.annotations]).toEqual([kind, { ...annotations, ...earlier }]);
    }
  });

  test('GIVEN a migration command and a webhook WHEN synthesized THEN the command runs through the retrying script in the work init container and a notifier reports', () => {
    const { chart, make, password } = setup({
      migrations: Migrations.fromCommand(ContainerImage.of('registry.example/shop-migrate', '1.4.0'), ['npx', 'knex', 'migrate:latest']),
      webhook: SecretKeyRef.of(kplus.Secret.fromSecretName(Testing.chart(), 'Hook', 'hook'), 'url'),
      lockTimeout: Duration.seconds(2),
      statementTimeout: Duration.minutes(1),
    });
    void password;
    make();
    const manifests = synthValidated(chart);
    const pod = podOf(manifests);
    const [work] = pod.initContainers;
    expect(work.image).toBe('registry.example/shop-migrate:1.4.0');
    expect(work.args.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(work.args.slice(3)).toEqual(['migrate', 'npx', 'knex', 'migrate:latest']);
    expect(envOf(work)).toMatchObject({ MIGRATION_MODE: 'command', PGOPTIONS: '-c lock_timeout=2000ms -c statement_timeout=60000ms', JOB_STATUS_DIR: '/run/job-status' });
    expect(pod.containers.map((c: any) => c.name)).toEqual(['notify']);
    expect(manifests.find((m) => m.kind === 'ConfigMap')).toBeUndefined();
    expect(manifests.find((m) => m.kind === 'Job').spec.podFailurePolicy.rules[0]).toMatchObject({ action: 'FailJob', onExitCodes: { containerName: 'notify' } });
    expectRestricted(pod);
  });

  test.each<[string, Partial<MigrationJobProps>, RegExp]>([
    ['maxAttempts 0', { maxAttempts: 0 }, /maxAttempts: got 0/],
    ['a zero lock timeout', { lockTimeout: Duration.seconds(0) }, /lockTimeout\/statementTimeout: got "0ms\/5000ms"; positive durations/],
    ['a history table with a quote', { historyTable: "x'; DROP TABLE y; --" }, /historyTable: got .*a lower-case SQL identifier/],
    ['no files', { migrations: Migrations.sqlFiles({}) }, /migrations: got \[\]; at least one .sql file/],
    ['a file name with a space', { migrations: Migrations.sqlFiles({ 'add index.sql': 'SELECT 1;' }) }, /migrations\["add index.sql"\]: got "add index.sql"; a file name of letters/],
    ['a bad name', { name: 'Migrate_Now' }, /name: got "Migrate_Now"; expected a DNS-1123 label/],
    ['an unknown lint rule', { lint: { disabledRules: ['nope'] } }, /lint: got .*unknown rule "nope"/],
    ['SQL PostgreSQL cannot parse', { migrations: Migrations.sqlFiles({ 'a.sql': 'ALTER TABLE;' }) }, /a.sql:1: \[syntax-error\]/],
  ])('GIVEN %s WHEN constructed THEN a clear error names the prop', (_what, props, message) => {
    const { make } = setup(props);
    expect(() => make()).toThrow(message);
  });

  test('GIVEN a typical job WHEN synthesized THEN the whole output matches the reviewed snapshot', () => {
    const { chart, make } = setup({ hook: MigrationHook.ARGO_CD_PRE_SYNC });
    make();
    const manifests = synthValidated(chart);
    for (const m of manifests) {
      // The script is tested on its own (contract test); keep the snapshot readable.
      for (const c of m.spec?.template?.spec?.containers ?? []) c.command = c.command?.map((a: string) => (a.length > 200 ? '<MIGRATION_SCRIPT>' : a));
    }
    expect(manifests).toMatchSnapshot();
  });
});
