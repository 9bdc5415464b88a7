import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AlertFamily, PostgresAlerts, PostgresExporter, SecretKeyRef, Severity } from '../../src';

/**
 * postgres_exporter with the library's queries in front of an existing PostgreSQL, and the alert
 * catalog with the thresholds most teams start from, plus one alert of the team's own.
 */
export class MonitoredPostgresChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(this, 'ExporterCredentials', 'postgres-exporter-credentials'), 'password');
    new PostgresExporter(this, 'Exporter', {
      name: 'app-db-exporter', // the Deployment and the Service Prometheus scrapes (app-db-exporter:9187)
      clusterName: 'app-db',
      connection: { host: 'postgresql-primary.database.svc', database: 'myapp_production', user: 'postgres_exporter', password, sslMode: 'require' },
    });
    const alerts = new PostgresAlerts(this, 'Alerts', {
      labels: { team: 'platform' },
      families: [
        ...AlertFamily.all().filter((family) => family.name !== 'backups'),
        // This database is backed up by CronJobs made outside this app: name them. (Backups made
        // by the library in the same app are found by their exact names without patterns.)
        AlertFamily.backups({ fullCronJobPattern: 'myapp-db-backup-full', incrementalCronJobPattern: 'myapp-db-backup-incr' }),
        AlertFamily.storage({ sizeLimit: Size.gibibytes(400), horizon: Duration.days(14) }),
      ],
    });
    alerts.addAlert({
      name: 'MyAppOrdersStuck',
      expr: 'app_orders_pending_n > 100',
      pendingFor: Duration.minutes(15),
      severity: Severity.WARNING,
      summary: '{{ $value }} orders pending for 15 minutes',
      description: 'The order worker is not draining the queue.',
      runbookUrl: 'https://wiki.example.com/runbooks/orders-stuck',
    });
  }
}
