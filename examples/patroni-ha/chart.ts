import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionTarget, PatroniCluster, PatroniDcs, PgBouncerDeployment, PoolMode, SecretKeyRef, SynchronousMode } from '../../src';

/**
 * The seed's Patroni cluster done right: no etcd to run (the Kubernetes API is the DCS, the
 * leader lock in Endpoints, so the primary Service can only point at the leader), synchronous
 * replication so a failover loses no acknowledged commit, passwords only from a Secret, REST
 * probes, the RBAC Patroni needs and no more, and the app's connections counted against
 * max_connections.
 */
export class PatroniHaChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // Created outside the stack (e.g. by External Secrets): keys superuser, replication, rewind, rest-api.
    const passwords = kplus.Secret.fromSecretName(this, 'Passwords', 'app-db-patroni');
    const key = (name: string) => SecretKeyRef.of(passwords, name);

    const db = new PatroniCluster(this, 'AppDb', {
      settings: {
        scope: 'app-db',
        dcs: PatroniDcs.kubernetes({ useEndpoints: true }),
        ttl: Duration.seconds(30),
        loopWait: Duration.seconds(10),
        retryTimeout: Duration.seconds(10),
        synchronousMode: SynchronousMode.ON,
        // Keep the primary writable when the Kubernetes API is briefly down and every member still answers.
        failsafeMode: true,
        maximumLagOnFailover: Size.mebibytes(1),
        postgresSettings: [
          { name: 'shared_buffers', value: '1GB' },
          { name: 'wal_keep_size', value: '1GB' },
          { name: 'log_min_duration_statement', value: '500ms' },
        ],
      },
      passwords: { superuser: key('superuser'), replication: key('replication'), rewind: key('rewind'), restApi: key('rest-api') },
      instances: 3,
      maxConnections: 200,
      storageSize: Size.gibibytes(100),
      resources: { cpu: { request: kplus.Cpu.units(2) }, memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) } },
    });

    // The web app writes through a pooler on the primary and reads reports from the replicas.
    const appPassword = SecretKeyRef.of(kplus.Secret.fromSecretName(this, 'AppUser', 'app-db-app'), 'password');
    const pooler = new PgBouncerDeployment(this, 'Pooler', {
      name: 'app-db-pooler',
      authFile: SecretKeyRef.of(kplus.Secret.fromSecretName(this, 'Userlist', 'app-db-pgbouncer'), 'userlist.txt'),
      connectionBudget: db.connectionBudget,
      settings: {
        poolMode: PoolMode.TRANSACTION,
        defaultPoolSize: 40,
        maxDbConnections: 40,
        databases: [{ name: 'app', host: db.primaryService.name }],
      },
    });
    const web = new kplus.Deployment(this, 'Web', {
      replicas: 3,
      containers: [{
        name: 'app',
        image: 'registry.example.com/web:2.3.1',
        portNumber: 8080,
        securityContext: { user: 1000, group: 1000, readOnlyRootFilesystem: true },
        resources: { cpu: { request: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
      }],
    });
    pooler.addConnectionEnv(web.containers[0], { database: 'app', user: 'app', password: appPassword });
    db.addConnectionEnv(web.containers[0], { database: 'app', user: 'app', password: appPassword, target: ConnectionTarget.REPLICAS, variablePrefix: 'REPORTS_' });
    db.connectionBudget.addConsumer('web report queries', 3 * 5, 'direct to the replicas, 5 per pod');
  }
}
