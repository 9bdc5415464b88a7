import { Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionBudget, PgBouncerDeployment, PgBouncerSidecar, PoolMode, PoolSizing, SecretKeyRef } from '../../src';

/**
 * The seed's web app behind PgBouncer sidecars, plus a shared standalone PgBouncer for reporting
 * jobs, each checked against the connection budget of the server it reaches (primary or replica) at synth.
 */
export class PooledWebAppChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // A 4-core server on SSD does useful work with 9 connections; PostgreSQL allows 100. Budgets are
    // per server: the primary (rw Service) and the replica that serves reports each have their own.
    const budget = new ConnectionBudget(this, 'AppDb', { maxConnections: 100, host: 'app-db-rw.database.svc.cluster.local', serverName: 'PostgreSQL "app-db" primary' });
    const replicaBudget = new ConnectionBudget(this, 'AppDbReplica', { maxConnections: 100, host: 'app-db-ro.database.svc.cluster.local', serverName: 'PostgreSQL "app-db" replica' });
    const replicas = 3;
    const perPod = PoolSizing.perPod(PoolSizing.withHeadroom({ cpuCores: 4 }, 5), replicas); // 45 over 3 pods: 15

    const secret = (name: string, key: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(this, `${name}-${key}`, name), key);
    const userlist = secret('pgbouncer-userlist', 'userlist.txt');

    const web = new kplus.Deployment(this, 'Web', {
      replicas,
      containers: [{
        name: 'app',
        image: 'registry.example.com/tr-web:1.4.2',
        portNumber: 4000,
        resources: { cpu: { request: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
        securityContext: { user: 1000, group: 1000, readOnlyRootFilesystem: true },
      }],
    });
    const pooler = new PgBouncerSidecar(this, 'WebPooler', {
      workload: web,
      authFile: userlist,
      connectionBudget: budget,
      settings: {
        // Ecto wraps requests in transactions and uses no session state: transaction pooling is safe.
        poolMode: PoolMode.TRANSACTION,
        defaultPoolSize: perPod,
        maxDbConnections: perPod,
        databases: [{ name: 'myapp', host: 'app-db-rw.database.svc.cluster.local', dbname: 'myapp_production' }],
      },
    });
    // DATABASE_URL, PGHOST, ... point at the sidecar on localhost:6432.
    const appPassword = secret('app-db-app', 'password');
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password: appPassword });

    const reports = new PgBouncerDeployment(this, 'ReportsPooler', {
      // The Service, and so the host applications connect to, is "reports-pgbouncer".
      name: 'reports-pgbouncer',
      authFile: userlist,
      connectionBudget: replicaBudget,
      settings: {
        // Reports use session features (temporary tables): session pooling.
        poolMode: PoolMode.SESSION,
        defaultPoolSize: 10,
        maxDbConnections: 10,
        statsUsers: ['pgbouncer_stats'],
        databases: [{ name: 'reports', host: 'app-db-ro.database.svc.cluster.local', dbname: 'myapp_production' }],
      },
      exporter: { user: 'pgbouncer_stats', password: secret('pgbouncer-stats', 'password') },
    });
    // The web app's report pages read the replica through the shared pooler. A second connection
    // in one container needs its own variable names: REPORTS_DATABASE_URL, REPORTS_PGHOST, ...
    reports.addConnectionEnv(web.containers[0], { database: 'reports', user: 'myapp', password: appPassword, variablePrefix: 'REPORTS_' });

    // Migrations connect directly, outside the poolers.
    budget.addConsumer('migrations job', 2, 'direct, one at a time plus a lock watcher');
  }
}
