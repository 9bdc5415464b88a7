import { Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DumpStorage, PgDumpBackup, Schedule, SchemaValidation, SecretKeyRef } from '../../src';
import { ScheduledBackup, ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecTarget } from '../../src/imports/postgresql.cnpg.io';

/**
 * The core vocabulary on its own: one typed schedule rendered for a CloudNativePG
 * ScheduledBackup (six fields, seconds first) and for the Kubernetes CronJob of a pg_dump backup
 * (five fields), with the password delivered from a Secret without its value in the YAML.
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

    // The same schedule as five fields for a CronJob: a weekly pg_dump onto its own claim (never an
    // emptyDir, which is gone with the pod), read back in full and pruned to the newest four.
    const credentials = kplus.Secret.fromSecretName(this, 'AppDbCredentials', 'app-db-app');
    new PgDumpBackup(this, 'WeeklyDump', {
      connection: { host: 'app-db-rw', database: 'app', user: 'app', password: SecretKeyRef.of(credentials, 'password') },
      storage: DumpStorage.newClaim(Size.gibibytes(50)),
      schedule: weekly,
      keep: 4,
    });
  }
}
