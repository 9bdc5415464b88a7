import * as path from 'path';
import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionBudget, MigrationHook, MigrationJob, Migrations, SecretKeyRef } from '../../src';

/**
 * The article's blog app with its schema changes run by a MigrationJob as an Argo CD PreSync
 * hook: the SQL files in ./migrations are linted at synth (a table-locking statement fails the
 * synth), run over a direct connection to the primary with lock_timeout and statement_timeout,
 * retried on lock timeouts, and counted in the primary's connection budget with the app's pool.
 */
export class MigratedAppChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    const primaryHost = 'blog-db-rw.database.svc.cluster.local';
    const budget = new ConnectionBudget(this, 'BlogDb', { maxConnections: 100, host: primaryHost, serverName: 'PostgreSQL "blog-db" primary' });
    const ownerPassword = SecretKeyRef.of(kplus.Secret.fromSecretName(this, 'Owner', 'blog-db-owner'), 'password');

    new MigrationJob(this, 'Migrate', {
      connection: { host: primaryHost, database: 'blog', user: 'blog_owner', password: ownerPassword },
      migrations: Migrations.sqlDirectory(path.join(__dirname, 'migrations')),
      hook: MigrationHook.ARGO_CD_PRE_SYNC,
      // The unique index on posts may take a while; CONCURRENTLY blocks no writer meanwhile.
      statementTimeout: Duration.minutes(10),
      connectionBudget: budget,
    });

    const replicas = 3;
    const web = new kplus.Deployment(this, 'Web', {
      replicas,
      containers: [{
        name: 'app',
        image: 'registry.example.com/blog-web:2.3.0',
        portNumber: 4000,
        resources: { cpu: { request: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
        securityContext: { user: 1000 },
        envVariables: { PGHOST: kplus.EnvValue.fromValue(primaryHost), PGDATABASE: kplus.EnvValue.fromValue('blog'), POOL_SIZE: kplus.EnvValue.fromValue('10') },
      }],
    });
    web.containers[0].env.addVariable('PGPASSWORD', SecretKeyRef.of(kplus.Secret.fromSecretName(this, 'App', 'blog-db-app'), 'password').toEnvValue());
    budget.addConsumer('blog web pods', replicas * 10, `${replicas} pods x pool 10`);
  }
}
