import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ImageCatalog, Schedule, SchemaValidation, SecretKeyRef } from '../../src';
import { ScheduledBackup, ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecTarget } from '../../src/imports/postgresql.cnpg.io';

/**
 * The core vocabulary on its own: one typed schedule rendered for a CloudNativePG
 * ScheduledBackup (six fields, seconds first) and for a Kubernetes CronJob (five fields), a
 * pinned image, and a password delivered from a Secret without its value in the YAML.
 */
export class BackupSchedulesChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // The seed's weekly full backup: Sunday 02:00.
    const weekly = Schedule.cron({ minute: '0', hour: '2', weekDay: 'SUN' });

    const backup = new ScheduledBackup(this, 'WeeklyBackup', {
      metadata: { name: 'app-db-weekly' },
      spec: {
        cluster: { name: 'app-db' },
        schedule: weekly.toCnpg(),
        target: ScheduledBackupSpecTarget.PREFER_HYPHEN_STANDBY,
        backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
      },
    });
    SchemaValidation.addTo(backup);

    const credentials = kplus.Secret.fromSecretName(this, 'AppDbCredentials', 'app-db-app');
    const dump = new kplus.CronJob(this, 'WeeklyDump', {
      schedule: weekly.toCron(),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      securityContext: { user: 999, group: 999, fsGroup: 999 },
      containers: [{
        name: 'pg-dump',
        image: ImageCatalog.POSTGRES.reference,
        command: ['pg_dump', '--format=custom', '--file=/backup/app.dump', '--host=app-db-rw', '--username=app', 'app'],
        securityContext: { user: 999, group: 999, readOnlyRootFilesystem: true },
        volumeMounts: [{ path: '/backup', volume: kplus.Volume.fromEmptyDir(this, 'Scratch', 'backup') }],
      }],
    });
    SecretKeyRef.of(credentials, 'password').addToEnv(dump.containers[0], 'PGPASSWORD');
  }
}
