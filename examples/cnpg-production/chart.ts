import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AlertFamily, CnpgCluster, CnpgObjectStore, ConnectionTarget, DataDurability, MetricSource, ObjectStoreCredentials, ObjectStoreEncryption,
  PostgresAlerts, Schedule, SecretKeyRef,
} from '../../src';

/**
 * The CloudNativePG setup most teams want: three instances with parameters tuned to 4 GiB pods,
 * backups to S3 through the barman-cloud plugin kept 30 days, a daily and a weekly backup taken
 * from a standby, a transaction-mode pooler, PodMonitors, CNPG alerts, and an app wired to the
 * primary (through the pooler) and the standbys.
 */
export class CnpgProductionChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const cluster = new CnpgCluster(this, 'Db', {
      name: 'myapp-db',
      memory: Size.gibibytes(4),
      cpu: kplus.Cpu.units(2),
      storageSize: Size.gibibytes(100),
      walStorageSize: Size.gibibytes(20),
      storageClass: 'fast-ssd',
      database: 'myapp_production',
      owner: 'myapp',
      synchronous: { number: 1, dataDurability: DataDurability.PREFERRED },
      spreadAcrossZones: true,
      parameters: { max_connections: '200', log_min_duration_statement: '1000' },
    });
    const s3 = kplus.Secret.fromSecretName(this, 'BackupCredentials', 'myapp-db-backup-s3');
    const store = new CnpgObjectStore(this, 'Backups', {
      name: 'myapp-db-backups',
      destinationPath: 's3://acme-db-backups/myapp-db',
      credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'ACCESS_KEY_ID'), SecretKeyRef.of(s3, 'ACCESS_SECRET_KEY')),
      retention: Duration.days(30),
      encryption: ObjectStoreEncryption.AES256,
    });
    cluster.backupTo(store);
    cluster.addScheduledBackup('Daily', { schedule: Schedule.cron({ minute: '0', hour: '2' }) });
    cluster.addScheduledBackup('Weekly', { schedule: Schedule.cron({ minute: '0', hour: '4', weekDay: 'SUN' }) });
    cluster.addPooler('Pooler', { instances: 3, parameters: { default_pool_size: '20', max_client_conn: '1000' } });

    const web = new kplus.Deployment(this, 'Web', {
      replicas: 3,
      containers: [{ name: 'web', image: 'registry.example.com/myapp:2.3.1', portNumber: 4000, securityContext: { user: 1000, group: 1000 } }],
    });
    cluster.addConnectionEnv(web.containers[0]);
    const reports = new kplus.Deployment(this, 'Reports', {
      containers: [{ name: 'reports', image: 'registry.example.com/myapp-reports:2.3.1', securityContext: { user: 1000, group: 1000 } }],
    });
    cluster.addConnectionEnv(reports.containers[0], { target: ConnectionTarget.REPLICAS });

    new PostgresAlerts(this, 'Alerts', {
      families: [
        AlertFamily.availability({ source: MetricSource.CNPG }),
        AlertFamily.replication({ source: MetricSource.CNPG }),
        AlertFamily.connections({ source: MetricSource.CNPG }),
        AlertFamily.backups({ source: MetricSource.CNPG }),
      ],
    });
  }
}
