import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CnpgCluster, CnpgPooler, ConnectionTarget, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

function app(chart: Chart) {
  return new kplus.Deployment(chart, 'Web', { containers: [{ name: 'web', image: 'registry.example/web:1.0.0', securityContext: { user: 1000 } }] });
}

const envOf = (manifests: any[]) => manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0].env;
const fromAppSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: 'shop-db-app', key } } });

describe('CnpgCluster.addConnectionEnv', () => {
  test('GIVEN a cluster without poolers WHEN an app is wired THEN the -rw Service, with user, password and database from the app Secret by reference', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    const web = app(chart);
    // WHEN
    cluster.addConnectionEnv(web.containers[0]);
    // THEN
    expect(envOf(synthValidated(chart))).toEqual([
      { name: 'PGHOST', value: 'shop-db-rw' },
      { name: 'PGPORT', value: '5432' },
      fromAppSecret('PGDATABASE', 'dbname'),
      fromAppSecret('PGUSER', 'username'),
      fromAppSecret('PGPASSWORD', 'password'),
      { name: 'DATABASE_URL', value: 'postgresql://$(PGUSER):$(PGPASSWORD)@shop-db-rw:5432/$(PGDATABASE)' },
    ]);
  });

  test('GIVEN rw and ro poolers WHEN the primary and the replicas are wired THEN each goes through its pooler (the ro wiring used to bypass the ro pooler)', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    cluster.addPooler('Rw');
    cluster.addPooler('Ro', { target: ConnectionTarget.REPLICAS });
    const web = app(chart);
    // WHEN
    cluster.addConnectionEnv(web.containers[0]);
    cluster.addConnectionEnv(web.containers[0], { target: ConnectionTarget.REPLICAS, variablePrefix: 'REPLICA_' });
    // THEN
    const env = envOf(synthValidated(chart));
    expect(env.find((e: any) => e.name === 'PGHOST').value).toBe('shop-db-pooler-rw');
    expect(env.find((e: any) => e.name === 'REPLICA_PGHOST').value).toBe('shop-db-pooler-ro');
    expect(env.find((e: any) => e.name === 'REPLICA_DATABASE_URL').value)
      .toBe('postgresql://$(REPLICA_PGUSER):$(REPLICA_PGPASSWORD)@shop-db-pooler-ro:5432/$(REPLICA_PGDATABASE)');
  });

  test('GIVEN a pooler WHEN wired with pooled: false THEN the Service, past the pooler', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    cluster.addPooler('Ro', { target: ConnectionTarget.REPLICAS });
    const web = app(chart);
    // WHEN
    cluster.addConnectionEnv(web.containers[0], { target: ConnectionTarget.REPLICAS, pooled: false });
    // THEN
    expect(envOf(synthValidated(chart))[0]).toEqual({ name: 'PGHOST', value: 'shop-db-ro' });
  });

  test('GIVEN a container wired to the primary WHEN the replicas are wired with the default names THEN the duplicate is refused; with a prefix it works', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    const web = app(chart);
    cluster.addConnectionEnv(web.containers[0]);
    // WHEN / THEN
    expect(() => cluster.addConnectionEnv(web.containers[0], { target: ConnectionTarget.REPLICAS }))
      .toThrow(/^\[test\/Db\] addConnectionEnv: got "PGHOST.*"; container "web" already has/);
    expect(() => cluster.addConnectionEnv(web.containers[0], { target: ConnectionTarget.REPLICAS, variablePrefix: 'RO_' })).not.toThrow();
    expect(envOf(synthValidated(chart)).map((e: any) => e.name)).toEqual([
      'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'DATABASE_URL',
      'RO_PGHOST', 'RO_PGPORT', 'RO_PGDATABASE', 'RO_PGUSER', 'RO_PGPASSWORD', 'RO_DATABASE_URL',
    ]);
  });

  test('GIVEN a user, database and password Secret WHEN wired THEN they replace the app Secret\'s; the password still by reference', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    const web = app(chart);
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Reporter', 'reporter-login'), 'password');
    // WHEN
    cluster.addConnectionEnv(web.containers[0], { user: 'reporter', database: 'reports', password });
    // THEN
    const env = envOf(synthValidated(chart));
    expect(env.slice(2, 5)).toEqual([
      { name: 'PGDATABASE', value: 'reports' },
      { name: 'PGUSER', value: 'reporter' },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'reporter-login', key: 'password' } } },
    ]);
    expect(env[5].value).toBe('postgresql://reporter:$(PGPASSWORD)@shop-db-rw:5432/reports');
  });

  test('GIVEN a container wired straight to -rw WHEN an rw pooler is added afterwards THEN refused (the container would bypass it)', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    cluster.addConnectionEnv(app(chart).containers[0]);
    // WHEN / THEN
    expect(() => cluster.addPooler('Pooler')).toThrow('[test/Db/Pooler] cluster: got "shop-db"; addConnectionEnv already wired containers straight to shop-db-rw');
  });
});

describe('CnpgPooler.addConnectionEnv', () => {
  test('GIVEN a pooler WHEN an app is wired through it THEN the pooler\'s Service with the cluster\'s app Secret; another target is refused', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    const pooler = new CnpgPooler(chart, 'Reads', { cluster, name: 'shop-reads', target: ConnectionTarget.REPLICAS });
    const web = app(chart);
    // WHEN
    pooler.addConnectionEnv(web.containers[0]);
    // THEN
    const env = envOf(synthValidated(chart));
    expect(env[0]).toEqual({ name: 'PGHOST', value: 'shop-reads' });
    expect(env[4]).toEqual(fromAppSecret('PGPASSWORD', 'password'));
    expect(() => pooler.addConnectionEnv(web.containers[0], { target: ConnectionTarget.PRIMARY, variablePrefix: 'RW_' }))
      .toThrow('[test/Reads] addConnectionEnv.target: got "primary"; this pooler is of type ro');
  });
});

describe('CnpgCluster.fromClusterName', () => {
  test('GIVEN a cluster managed elsewhere WHEN an app is wired and a pooler added THEN both refer to it by name, and nothing of the cluster is rendered', () => {
    // GIVEN
    const chart = Testing.chart();
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'legacy-db', { database: 'legacy' });
    // WHEN
    const pooler = new CnpgPooler(chart, 'Pooler', { cluster });
    cluster.addConnectionEnv(app(chart).containers[0]);
    // THEN
    const manifests = synthValidated(chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'PodMonitor', 'Pooler']);
    expect(pooler.resource.toJson().spec.cluster).toEqual({ name: 'legacy-db' });
    expect(envOf(manifests)[0]).toEqual({ name: 'PGHOST', value: 'legacy-db-pooler-rw' });
    expect(envOf(manifests)[3]).toEqual({ name: 'PGUSER', valueFrom: { secretKeyRef: { name: 'legacy-db-app', key: 'username' } } });
    expect([cluster.database, cluster.owner, cluster.backupStore, cluster.backupMethod]).toEqual(['legacy', 'app', undefined, undefined]);
  });
});

describe('CnpgCluster.addConnectionEnv: the review findings', () => {
  test('GIVEN an owner Secret of yours WHEN an app is wired THEN credentials come from that Secret and the database is the bootstrapped one (the operator creates no -app Secret then)', () => {
    // GIVEN
    const chart = Testing.chart();
    const owner = kplus.Secret.fromSecretName(chart, 'Owner', 'shop-owner');
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), database: 'shop', owner: 'shop', ownerSecret: owner });
    // WHEN
    cluster.addConnectionEnv(app(chart).containers[0]);
    // THEN
    const env = envOf(synthValidated(chart));
    expect(cluster.appSecretName).toBe('shop-owner');
    expect(env.slice(2, 5)).toEqual([
      { name: 'PGDATABASE', value: 'shop' },
      { name: 'PGUSER', valueFrom: { secretKeyRef: { name: 'shop-owner', key: 'username' } } },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'shop-owner', key: 'password' } } },
    ]);
    expect(JSON.stringify(env)).not.toContain('shop-db-app');
  });

  test('GIVEN an imported cluster with its own owner Secret WHEN an app is wired THEN that Secret is read', () => {
    const chart = Testing.chart();
    const cluster = CnpgCluster.fromClusterName(chart, 'Db', 'legacy-db', { database: 'legacy', appSecretName: 'legacy-owner' });
    cluster.addConnectionEnv(app(chart).containers[0]);
    const env = envOf(synthValidated(chart));
    expect(env[2]).toEqual({ name: 'PGDATABASE', value: 'legacy' });
    expect(env[4]).toEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'legacy-owner', key: 'password' } } });
  });

  test('GIVEN another user than the owner without a password WHEN wired THEN refused (the owner\'s password would fail its login at run time)', () => {
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    expect(() => cluster.addConnectionEnv(app(chart).containers[0], { user: 'reporting' })).toThrow(
      '[test/Db] addConnectionEnv.password: got undefined; the user "reporting" is not the owner "app", whose password the app Secret holds: give that user\'s password as a SecretKeyRef');
  });

  test('GIVEN another user with its password WHEN wired THEN the password is read from its Secret', () => {
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5) });
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Reporting', 'reporting-pw'), 'password');
    cluster.addConnectionEnv(app(chart).containers[0], { user: 'reporting', password });
    expect(envOf(synthValidated(chart))[4]).toEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'reporting-pw', key: 'password' } } });
  });

  test('GIVEN a one-instance cluster WHEN the replicas are wired THEN refused (its -ro Service has no endpoints)', () => {
    const chart = Testing.chart();
    const cluster = new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), instances: 1 });
    expect(() => cluster.addConnectionEnv(app(chart).containers[0], { target: ConnectionTarget.REPLICAS }))
      .toThrow('[test/Db] addConnectionEnv.target: got "replicas"; shop-db runs one instance, so shop-db-ro has no endpoints');
  });
});
