import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SEED_SETTINGS, webApp } from './fixtures';
import { ConnectionBudget, PgBouncerDeployment, PgBouncerSidecar, PoolMode, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

describe('ConnectionBudget', () => {
  test('the seed setup (3 pods x pool 20 against max_connections 100) fits', () => {
    const { chart, web, userlist } = webApp(3);
    const budget = new ConnectionBudget(chart, 'Budget', { maxConnections: 100 });
    new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget });
    expect(budget.available).toBe(97);
    expect(budget.claimed).toBe(60);
    expect(() => synthValidated(chart)).not.toThrow();
  });

  test('too many claims fail the synth with every contributor and its share', () => {
    // GIVEN 10 app pods with sidecars (pool 20 + reserve 5), a standalone pooler with two
    // databases capped by max_db_connections, and a migration job connecting directly
    const app = Testing.app();
    const chart = new Chart(app, 'prod');
    const userlist = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Userlist', 'pgbouncer-userlist'), 'userlist.txt');
    const budget = new ConnectionBudget(chart, 'Budget', { maxConnections: 200, superuserReservedConnections: 5, serverName: 'PostgreSQL "app-db"' });
    const workload = new kplus.Deployment(chart, 'Web', { replicas: 10, containers: [{ image: 'registry.example/web:1.0.0', securityContext: { user: 1000 } }] });
    new PgBouncerSidecar(chart, 'WebPooler', { workload, authFile: userlist, settings: { ...SEED_SETTINGS, reservePoolSize: 5 }, connectionBudget: budget });
    new PgBouncerDeployment(chart, 'SharedPooler', {
      authFile: userlist,
      connectionBudget: budget,
      settings: { poolMode: PoolMode.TRANSACTION, maxDbConnections: 15, databases: [{ name: 'reports', host: 'db' }, { name: 'jobs', host: 'db', poolSize: 10 }] },
    });
    budget.addConsumer('migrations job', 2, 'direct connections');
    // THEN
    expect(() => app.synth()).toThrow([
      '[prod/Budget] PostgreSQL "app-db" has max_connections 200 minus 5 superuser = 195 available, but its poolers and applications can open 302 server connections (107 too many):',
      '  - prod/WebPooler: 250 (10 pods x 25 [myapp 25])',
      '  - prod/SharedPooler: 50 (2 pods x 25 [reports 15 (max_db_connections) + jobs 10])',
      '  - migrations job: 2 (direct connections)',
      '  Lower pool sizes or replicas, cap pools with max_db_connections, or raise max_connections.',
    ].join('\n'));
  });

  test('workloads without a replica count must say how many pods run the sidecar', () => {
    const { chart, userlist } = webApp();
    const budget = new ConnectionBudget(chart, 'Budget', { maxConnections: 100 });
    const job = new kplus.Job(chart, 'Batch', { containers: [{ image: 'registry.example/batch:1.0.0', securityContext: { user: 1000 } }] });
    expect(() => new PgBouncerSidecar(chart, 'Pooler', { workload: job, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget }))
      .toThrow('[test/Pooler] replicas: got undefined; a Job has no fixed replica count: give replicas (the most pods that run the sidecar) for the connection budget');
    new PgBouncerSidecar(chart, 'Pooler2', { workload: job, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget, replicas: 4 });
    expect(budget.claimed).toBe(80);
  });

  test('bad budget props', () => {
    const chart = new Chart(new App(), 'c');
    expect(() => new ConnectionBudget(chart, 'A', { maxConnections: 0 })).toThrow('[c/A] maxConnections: got 0; expected an integer from 1 to 262143');
    expect(() => new ConnectionBudget(chart, 'B', { maxConnections: 3 })).toThrow('[c/B] maxConnections: got 3; leaves no connection once the reserved slots are taken');
    expect(() => new ConnectionBudget(chart, 'C', { maxConnections: 100 }).addConsumer('x', -1)).toThrow('[c/C] addConsumer(x).connections: got -1; expected an integer of at least 0');
  });
});
