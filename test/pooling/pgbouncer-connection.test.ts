import { Testing } from 'cdk8s';
import { SEED_SETTINGS, webApp } from './fixtures';
import { ConnectionTarget, ConnectionUrlStyle, PgBouncerDeployment, PgBouncerSidecar, PoolMode } from '../../src';
import { synthValidated } from '../helpers/synth';

const appContainer = (manifests: any[]) => manifests.find((m) => m.kind === 'Deployment' && m.metadata.name.includes('web'))
  .spec.template.spec.containers.find((c: any) => c.name === 'app');

describe('PgBouncerSidecar.addConnectionEnv', () => {
  test('GIVEN a sidecar WHEN the app is wired THEN the variables point at localhost and the password comes only from its Secret', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    // WHEN
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password });
    // THEN PGPASSWORD comes before DATABASE_URL: the kubelet only expands variables defined earlier
    const manifests = synthValidated(chart);
    expect(appContainer(manifests).env).toEqual([
      { name: 'PGHOST', value: 'localhost' },
      { name: 'PGPORT', value: '6432' },
      { name: 'PGDATABASE', value: 'myapp' },
      { name: 'PGUSER', value: 'myapp' },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-app', key: 'password' } } },
      { name: 'DATABASE_URL', value: 'postgresql://myapp:$(PGPASSWORD)@localhost:6432/myapp' },
    ]);
  });

  test('GIVEN one connection WHEN a second with the default names is wired into the same container THEN it throws', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: { ...SEED_SETTINGS, databases: [...SEED_SETTINGS.databases, { name: 'reports', host: 'app-db-ro' }] } });
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password });
    // WHEN / THEN
    expect(() => pooler.addConnectionEnv(web.containers[0], { database: 'reports', user: 'myapp', password }))
      .toThrow(/^\[test\/Pooler\] addConnectionEnv: got "PGHOST.*container "app" already has/);
  });

  test('GIVEN one connection WHEN a second is wired with a variablePrefix THEN both are there', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: { ...SEED_SETTINGS, databases: [...SEED_SETTINGS.databases, { name: 'reports', host: 'app-db-ro' }] } });
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password });
    // WHEN
    pooler.addConnectionEnv(web.containers[0], { database: 'reports', user: 'reporter', password, variablePrefix: 'REPORTS_' });
    // THEN
    const env = appContainer(synthValidated(chart)).env;
    expect(env.map((e: any) => e.name)).toEqual([
      'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'DATABASE_URL',
      'REPORTS_PGHOST', 'REPORTS_PGPORT', 'REPORTS_PGDATABASE', 'REPORTS_PGUSER', 'REPORTS_PGPASSWORD', 'REPORTS_DATABASE_URL',
    ]);
    expect(env.find((e: any) => e.name === 'REPORTS_DATABASE_URL').value).toBe('postgresql://reporter:$(REPORTS_PGPASSWORD)@localhost:6432/reports');
  });

  test('GIVEN a Java app WHEN wired with the JDBC URL style THEN the URL is a JDBC URL and the password stays a reference', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 6543 });
    // WHEN
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password, urlStyle: ConnectionUrlStyle.JDBC, variables: { url: 'JDBC_URL' } });
    // THEN
    const env = appContainer(synthValidated(chart)).env;
    expect(env.find((e: any) => e.name === 'JDBC_URL').value).toBe('jdbc:postgresql://localhost:6543/myapp?user=myapp&password=$(PGPASSWORD)');
    expect(env.filter((e: any) => /PASSWORD/.test(e.name))).toEqual([{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-app', key: 'password' } } }]);
  });

  test('GIVEN a sidecar WHEN database, user or password is missing THEN the error names the missing option', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    const app = web.containers[0];
    // WHEN / THEN
    expect(() => pooler.addConnectionEnv(app, { user: 'myapp', password }))
      .toThrow('[test/Pooler] addConnectionEnv.database: got undefined; required for a PgBouncer: give the database as its [databases] lists it');
    expect(() => pooler.addConnectionEnv(app, { database: 'myapp', password }))
      .toThrow('[test/Pooler] addConnectionEnv.user: got undefined; required for a PgBouncer: give the user the application logs in as');
    expect(() => pooler.addConnectionEnv(app, { database: 'myapp', user: 'myapp' }))
      .toThrow('[test/Pooler] addConnectionEnv.password: got undefined; required for a PgBouncer: give that user\'s password as a SecretKeyRef');
    expect(() => pooler.addConnectionEnv(app, { database: 'other', user: 'x', password }))
      .toThrow('[test/Pooler] addConnectionEnv.database: got "other"; not in this pooler\'s [databases]; known: myapp');
    expect(app.env.variables).toEqual({});
  });

  test('GIVEN a sidecar WHEN asked for the replicas or an unpooled connection THEN it refuses: a PgBouncer has neither', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    const options = { database: 'myapp', user: 'myapp', password };
    // WHEN / THEN
    expect(() => pooler.addConnectionEnv(web.containers[0], { ...options, target: ConnectionTarget.REPLICAS }))
      .toThrow('[test/Pooler] addConnectionEnv.target: got "replicas"; a PgBouncer has no replicas of its own');
    expect(() => pooler.addConnectionEnv(web.containers[0], { ...options, pooled: false }))
      .toThrow('[test/Pooler] addConnectionEnv.pooled: got false; a connection through a PgBouncer is always pooled');
    // the primary, said explicitly, is what a PgBouncer connection is
    pooler.addConnectionEnv(web.containers[0], { ...options, target: ConnectionTarget.PRIMARY, pooled: true });
    expect(web.containers[0].env.variables.PGHOST.value).toBe('localhost');
  });
});

describe('PgBouncerDeployment.addConnectionEnv', () => {
  test('GIVEN a named PgBouncerDeployment WHEN an app is wired THEN its host is the Service name', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp(3, Testing.chart());
    const pooler = new PgBouncerDeployment(chart, 'Reports', {
      name: 'reports-pooler',
      authFile: userlist,
      settings: { poolMode: PoolMode.SESSION, databases: [{ name: 'reports', host: 'app-db-ro' }] },
    });
    // WHEN
    pooler.addConnectionEnv(web.containers[0], { database: 'reports', user: 'reporter', password });
    // THEN
    const manifests = synthValidated(chart);
    expect(appContainer(manifests).env).toEqual([
      { name: 'PGHOST', value: 'reports-pooler' },
      { name: 'PGPORT', value: '6432' },
      { name: 'PGDATABASE', value: 'reports' },
      { name: 'PGUSER', value: 'reporter' },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-app', key: 'password' } } },
      { name: 'DATABASE_URL', value: 'postgresql://reporter:$(PGPASSWORD)@reports-pooler:6432/reports' },
    ]);
    expect(manifests.find((m) => m.kind === 'Service').metadata.name).toBe('reports-pooler');
  });

  test('GIVEN an unnamed PgBouncerDeployment WHEN an app is wired THEN its host is the generated Service name', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerDeployment(chart, 'Shared', { authFile: userlist, settings: SEED_SETTINGS });
    // WHEN
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password });
    // THEN
    const manifests = synthValidated(chart);
    expect(appContainer(manifests).env[0]).toEqual({ name: 'PGHOST', value: manifests.find((m) => m.kind === 'Service').metadata.name });
  });

  test('GIVEN a PgBouncerDeployment WHEN wiring lacks the password or asks for replicas THEN it refuses', () => {
    // GIVEN
    const { chart, web, userlist } = webApp();
    const pooler = new PgBouncerDeployment(chart, 'Shared', { authFile: userlist, settings: SEED_SETTINGS });
    // WHEN / THEN
    expect(() => pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp' }))
      .toThrow('[test/Shared] addConnectionEnv.password: got undefined; required for a PgBouncer');
    expect(() => pooler.addConnectionEnv(web.containers[0], { target: ConnectionTarget.REPLICAS }))
      .toThrow('[test/Shared] addConnectionEnv.target: got "replicas"');
    expect(web.containers[0].env.variables).toEqual({});
  });
});
