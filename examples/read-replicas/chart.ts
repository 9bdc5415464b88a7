import { Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ConnectionBudget, ConnectionTarget, PgpoolDeployment, PostgresConfig, ReplicationPassword, SecretKeyRef, StreamingReplication, SynchronousStandbys,
} from '../../src';

/**
 * The article's read replicas done right: a primary and two hot standbys configured by
 * StreamingReplication (slots bounded by max_slot_wal_keep_size against a 20 GiB WAL volume,
 * one synchronous standby by name), pgpool-II balancing reads over the standbys and keeping them
 * off a standby more than 16 MiB behind, sized against each server's max_connections; the app
 * gets the primary directly (read-your-own-writes) and the replicas through pgpool.
 */
export class ReadReplicasChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const secret = (name: string, key: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(this, `${name}-${key}`, name), key);

    const replication = new StreamingReplication(this, 'Replication', {
      primaryHost: 'db-primary',
      user: 'replicator',
      password: ReplicationPassword.fromSecretEnv(secret('db-replication', 'password')),
      standbys: [{ name: 'db-1' }, { name: 'db-2' }],
      walVolumeSize: Size.gibibytes(20),
      // ANY 1: a commit waits for either standby, so one standby down does not stop writes.
      synchronous: SynchronousStandbys.any(1, ['db-1', 'db-2']),
    });
    new PostgresConfig(this, 'PrimaryConfig', { settings: [...replication.primarySettings(), { name: 'max_connections', value: '200' }] });
    for (const name of replication.standbyNames) {
      new PostgresConfig(this, `${name}-config`, { settings: [...replication.standbySettings(name), { name: 'max_connections', value: '200' }] });
    }

    const budgets = ['db-primary', 'db-1.db', 'db-2.db'].map((host) => new ConnectionBudget(this, `Budget-${host}`, { host, maxConnections: 200 }));
    const appPassword = secret('app-db', 'password');
    const pool = new PgpoolDeployment(this, 'Pgpool', {
      name: 'db-pool',
      settings: {
        primary: { host: 'db-primary' },
        standbys: [{ host: 'db-1.db', applicationName: 'db-1' }, { host: 'db-2.db', applicationName: 'db-2' }],
        checkUser: 'pgpool_check',
        // 2 pods × 40 × 2 = 160 per server, under 200 - 3 reserved.
        numInitChildren: 40,
        maxPool: 2,
      },
      users: [{ name: 'app', password: appPassword }, { name: 'pgpool_check', password: secret('pgpool-check', 'password') }],
      aesKey: secret('pgpool-key', 'key'),
      pcpConf: secret('pgpool-pcp', 'pcp.conf'),
      connectionBudgets: budgets,
    });

    const web = new kplus.Deployment(this, 'Web', {
      replicas: 3,
      containers: [{ name: 'web', image: 'ghcr.io/example/web:1.4.2', portNumber: 8080, securityContext: { user: 1000, group: 1000 } }],
    });
    const connection = { database: 'app', user: 'app', password: appPassword };
    // Writes and reads that must see them: straight to the primary.
    pool.addConnectionEnv(web.containers[0], { ...connection, target: ConnectionTarget.PRIMARY, pooled: false });
    // Reads that tolerate lag: through pgpool, as REPLICA_DATABASE_URL.
    pool.addConnectionEnv(web.containers[0], { ...connection, target: ConnectionTarget.REPLICAS, variablePrefix: 'REPLICA_' });
  }
}
