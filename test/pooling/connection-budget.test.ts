import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SEED_SETTINGS, webApp } from './fixtures';
import { ConnectionBudget, IConnectionBudget, IConnectionConsumer, PgBouncerDeployment, PgBouncerSidecar, PoolMode, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

describe('ConnectionBudget', () => {
  test('GIVEN the seed setup (3 pods x pool 20) WHEN budgeted against max_connections 100 THEN it fits', () => {
    // GIVEN
    const { chart, web, userlist } = webApp(3);
    const budget = new ConnectionBudget(chart, 'Budget', { maxConnections: 100 });
    // WHEN
    new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget });
    // THEN
    expect(budget.available).toBe(97);
    expect(budget.claimed).toBe(60);
    expect(() => synthValidated(chart)).not.toThrow();
  });

  test('GIVEN too many claims WHEN synthesized THEN the synth fails with every contributor and its share', () => {
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
      settings: { poolMode: PoolMode.TRANSACTION, maxDbConnections: 15, databases: [{ name: 'reports', host: 'postgresql-primary' }, { name: 'jobs', host: 'postgresql-primary', poolSize: 10 }] },
    });
    budget.addConsumer('migrations job', 2, 'direct connections');
    // WHEN / THEN
    expect(() => app.synth()).toThrow([
      '[prod/Budget] PostgreSQL "app-db" has max_connections 200 minus 5 superuser = 195 available, but its poolers and applications can open 302 server connections (107 too many):',
      '  - prod/WebPooler: 250 (10 pods x 25 [myapp 25])',
      '  - prod/SharedPooler: 50 (2 pods x 25 [reports 15 (max_db_connections) + jobs 10])',
      '  - migrations job: 2 (direct connections)',
      '  Lower pool sizes or replicas, cap pools with max_db_connections, or raise max_connections.',
    ].join('\n'));
  });

  test('GIVEN a workload without a replica count WHEN budgeted THEN it must say how many pods run the sidecar', () => {
    // GIVEN
    const { chart, userlist } = webApp();
    const budget = new ConnectionBudget(chart, 'Budget', { maxConnections: 100 });
    const job = new kplus.Job(chart, 'Batch', { containers: [{ image: 'registry.example/batch:1.0.0', securityContext: { user: 1000 } }] });
    // WHEN / THEN
    expect(() => new PgBouncerSidecar(chart, 'Pooler', { workload: job, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget }))
      .toThrow('[test/Pooler] replicas: got undefined; a Job has no fixed replica count: give replicas (the most pods that run the sidecar) for the connection budget');
    new PgBouncerSidecar(chart, 'Pooler2', { workload: job, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget, replicas: 4 });
    expect(budget.claimed).toBe(80);
  });

  test('GIVEN bad budget props WHEN constructed THEN each is refused', () => {
    // GIVEN
    const chart = new Chart(new App(), 'c');
    // WHEN / THEN
    expect(() => new ConnectionBudget(chart, 'A', { maxConnections: 0 })).toThrow('[c/A] maxConnections: got 0; expected an integer from 1 to 262143');
    expect(() => new ConnectionBudget(chart, 'B', { maxConnections: 3 })).toThrow('[c/B] maxConnections: got 3; leaves no connection once the reserved slots are taken');
    expect(() => new ConnectionBudget(chart, 'C', { maxConnections: 100 }).addConsumer('x', -1)).toThrow('[c/C] addConsumer(x).connections: got -1; expected an integer of at least 0');
  });

  test('#11.13 GIVEN two servers WHEN a pooler reaches both THEN each [databases] entry is charged to the budget of its server', () => {
    // GIVEN a sidecar on 3 pods whose app entry goes to the primary and reports entry to a replica
    const { chart, web, userlist } = webApp(3);
    const primary = new ConnectionBudget(chart, 'Primary', { maxConnections: 100, host: 'app-db-rw' });
    const replica = new ConnectionBudget(chart, 'Replica', { maxConnections: 100, host: 'APP-DB-RO', port: 5432 });
    new PgBouncerSidecar(chart, 'Pooler', {
      workload: web,
      authFile: userlist,
      connectionBudgets: [primary, replica],
      settings: { poolMode: PoolMode.TRANSACTION, databases: [{ name: 'app', host: 'app-db-rw' }, { name: 'reports', host: 'app-db-ro', poolSize: 10 }] },
    });
    // WHEN / THEN the primary carries only the app pool, the replica only the reports pool
    expect([primary.claimed, replica.claimed]).toEqual([60, 30]);
    expect(() => synthValidated(chart)).not.toThrow();
    // and with the primary's budget alone, the replica's pool is not charged to the primary
    const other = webApp(3);
    const primaryOnly = new ConnectionBudget(other.chart, 'Primary', { maxConnections: 100, host: 'app-db-rw' });
    new PgBouncerSidecar(other.chart, 'Pooler', {
      workload: other.web,
      authFile: other.userlist,
      connectionBudget: primaryOnly,
      settings: { poolMode: PoolMode.TRANSACTION, databases: [{ name: 'app', host: 'app-db-rw' }, { name: 'reports', host: 'app-db-ro', poolSize: 10 }] },
    });
    expect(primaryOnly.claimed).toBe(60);
  });

  test('#11.13 GIVEN two overcommitted servers WHEN synthesized THEN the error lists the contributors of each separately', () => {
    // GIVEN
    const { chart, web, userlist } = webApp(5);
    const primary = new ConnectionBudget(chart, 'Primary', { maxConnections: 100, host: 'app-db-rw' });
    const replica = new ConnectionBudget(chart, 'Replica', { maxConnections: 50, host: 'app-db-ro' });
    new PgBouncerSidecar(chart, 'Pooler', {
      workload: web,
      authFile: userlist,
      connectionBudgets: [primary, replica],
      settings: { poolMode: PoolMode.TRANSACTION, databases: [{ name: 'app', host: 'app-db-rw' }, { name: 'reports', host: 'app-db-ro', poolSize: 15 }] },
    });
    replica.addConsumer('analytics job', 5);
    // WHEN / THEN
    expect(() => synthValidated(chart)).toThrow([
      'Validation failed:',
      '  [test/Primary] PostgreSQL app-db-rw:5432 has max_connections 100 minus 3 superuser = 97 available, but its poolers and applications can open 100 server connections (3 too many):',
      '  - test/Pooler: 100 (5 pods x 20 [app 20])',
      '  Lower pool sizes or replicas, cap pools with max_db_connections, or raise max_connections.',
      '  [test/Replica] PostgreSQL app-db-ro:5432 has max_connections 50 minus 3 superuser = 47 available, but its poolers and applications can open 80 server connections (33 too many):',
      '  - test/Pooler: 75 (5 pods x 15 [reports 15])',
      '  - analytics job: 5',
      '  Lower pool sizes or replicas, cap pools with max_db_connections, or raise max_connections.',
    ].join('\n'));
  });

  test('#11.13 GIVEN a budget that names no server WHEN a pooler reaches two servers THEN it is refused', () => {
    // GIVEN
    const { chart, web, userlist } = webApp(3);
    const settings = { poolMode: PoolMode.TRANSACTION, databases: [{ name: 'app', host: 'app-db-rw' }, { name: 'reports', host: 'app-db-ro' }] };
    const anyServer = new ConnectionBudget(chart, 'Budget', { maxConnections: 100 });
    // WHEN / THEN
    expect(() => new PgBouncerSidecar(chart, 'A', { workload: web, authFile: userlist, settings, connectionBudget: anyServer }))
      .toThrow('[test/A] connectionBudget: got "test/Budget"; the [databases] entries point to 2 servers (app-db-rw:5432, app-db-ro:5432) and a budget counts one: '
        + 'give each server\'s ConnectionBudget its host (and port) and pass them all in connectionBudgets');
    const typo = new ConnectionBudget(chart, 'Typo', { maxConnections: 100, host: 'app-db' });
    expect(() => new PgBouncerSidecar(chart, 'B', { workload: web, authFile: userlist, settings, connectionBudgets: [typo] }))
      .toThrow('[test/B] connectionBudgets[0]: got "test/Typo"; no [databases] entry points to app-db:5432 (entries point to app-db-rw:5432, app-db-ro:5432)');
    const rw = new ConnectionBudget(chart, 'Rw', { maxConnections: 100, host: 'app-db-rw' });
    const rw2 = new ConnectionBudget(chart, 'Rw2', { maxConnections: 100, host: 'app-db-rw' });
    expect(() => new PgBouncerSidecar(chart, 'C', { workload: web, authFile: userlist, settings, connectionBudgets: [rw, rw2] }))
      .toThrow('[test/C] connectionBudgets[1]: got "test/Rw2"; another budget of this pooler counts app-db-rw:5432: give each server one budget');
    // a database added later to another server is refused by a budget that names no server
    const single = new PgBouncerSidecar(chart, 'D', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: anyServer });
    expect(() => single.addDatabase({ name: 'other', host: 'elsewhere' })).toThrow('[test/D] connectionBudget: got "test/Budget"; the [databases] entries point to 2 servers');
    // two poolers on different servers cannot share a budget that names none
    const shared = new ConnectionBudget(chart, 'Shared', { maxConnections: 100 });
    new PgBouncerSidecar(chart, 'E', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: shared, port: 6440 });
    expect(() => new PgBouncerSidecar(chart, 'F', { workload: web, port: 6441, authFile: userlist, settings: { poolMode: PoolMode.SESSION, databases: [{ name: 'r', host: 'app-db-ro' }] }, connectionBudget: shared }))
      .toThrow('[test/F] connectionBudget: got "test/Shared"; this budget names no host and already counts postgresql-primary:5432; these [databases] point to app-db-ro:5432');
    expect(() => new ConnectionBudget(chart, 'P', { maxConnections: 100, port: 6543 })).toThrow('[test/P] port: got 6543; a port names a server together with its host: give host too');
  });
});

describe('IConnectionBudget', () => {
  test('GIVEN a server managed elsewhere WHEN budgeted from the allowance granted THEN the synth fails when the poolers can open more', () => {
    // GIVEN 3 pods x pool 20 against an allowance of 50 on a server the app does not own
    const { chart, web, userlist } = webApp(3);
    const budget = ConnectionBudget.fromAllowance(chart, 'Billing', { connections: 50, host: 'postgresql-primary' });
    // WHEN
    new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget });
    budget.addConsumer('migrations job', 2);
    // THEN
    expect(() => synthValidated(chart)).toThrow([
      'Validation failed:',
      '  [test/Billing] PostgreSQL postgresql-primary:5432 allows this app 50 connections, but its poolers and applications can open 62 server connections (12 too many):',
      '  - test/Pooler: 60 (3 pods x 20 [myapp 20])',
      '  - migrations job: 2',
      '  Lower pool sizes or replicas, cap pools with max_db_connections, or ask the server\'s owner for a larger allowance.',
    ].join('\n'));
  });

  test('GIVEN an allowance that fits WHEN synthesized THEN it passes; bad allowances are refused', () => {
    // GIVEN
    const { chart, web, userlist } = webApp(2);
    const budget = ConnectionBudget.fromAllowance(chart, 'Shared', { connections: 40, serverName: 'the shared server' });
    // WHEN
    new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: budget });
    // THEN
    expect(() => synthValidated(chart)).not.toThrow();
    expect(() => ConnectionBudget.fromAllowance(chart, 'None', { connections: 0 })).toThrow('[test/None] connections: got 0; expected an integer from 1 to 262143');
    expect(() => ConnectionBudget.fromAllowance(chart, 'Port', { connections: 5, port: 6543 })).toThrow('[test/Port] port: got 6543; a port names a server together with its host');
  });

  test('GIVEN a budget implemented outside the library WHEN a pooler charges it THEN the pooler uses only the interface', () => {
    // GIVEN a hand-written IConnectionBudget (as another jsii language would implement it)
    const { chart, web, userlist } = webApp(3);
    const claims: string[] = [];
    const handMade: IConnectionBudget = Object.assign(new Construct(chart, 'HandMade'), {
      host: 'POSTGRESQL-PRIMARY',
      port: 5432,
      addConsumer: (name: string, connections: number) => claims.push(`${name}=${connections}`),
      addComputedConsumer: (consumer: IConnectionConsumer) => claims.push(`${consumer.consumerName}=${consumer.connectionShare().connections}`),
    });
    // WHEN
    new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudget: handMade });
    // THEN
    expect(claims).toEqual(['test/Pooler=60']);
  });

  test('GIVEN something that is not a budget WHEN passed as one THEN the pooler says what it expected', () => {
    // GIVEN the props of a budget instead of the budget
    const { chart, web, userlist } = webApp(3);
    const notABudget = { maxConnections: 100 } as unknown as IConnectionBudget;
    // WHEN / THEN
    expect(() => new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, connectionBudgets: [notABudget] }))
      .toThrow('[test/Pooler] connectionBudgets[0]: got {"maxConnections":100}; expected an IConnectionBudget: new ConnectionBudget(...) or ConnectionBudget.fromAllowance(...)');
  });
});
