import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { backupChart } from './fixtures';
import {
  BackupRepository, DumpFormat, DumpStorage, FullRetention, PgBackRestBackups, PgBackRestServerSidecar, PgDumpBackup, RestoreCheck, RestoreSource,
  RestoreTest, Schedule, SecretKeyRef,
} from '../../src';
import { synthValidated } from '../helpers/synth';

// Whole-output snapshots, one chart per construct: any change to what a construct emits shows
// here as a diff to be read (jest --ci never writes them).

describe('whole-output snapshots of the backup constructs', () => {
  test('GIVEN a StatefulSet WHEN PgBackRestServerSidecar joins it THEN the pod, config and policy are as snapshotted', () => {
    // GIVEN
    const { chart, settings, serverTls } = backupChart();
    const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'Data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'DataClaim', 'pgdata-app-db-0'));
    const db = new kplus.StatefulSet(chart, 'Db', {
      metadata: { name: 'app-db' },
      service: new kplus.Service(chart, 'DbService', { metadata: { name: 'app-db' }, clusterIP: 'None', ports: [{ port: 5432 }] }),
      containers: [{ name: 'postgres', image: 'ghcr.io/zalando/spilo-15:3.0-p1', portNumber: 5432, volumeMounts: [{ path: '/home/postgres/pgdata', volume: data }] }],
    });
    // WHEN
    new PgBackRestServerSidecar(chart, 'BackupServer', {
      workload: db,
      databaseContainer: db.containers[0],
      settings,
      dataDirectory: '/home/postgres/pgdata/pgroot/data',
      dataVolume: data,
      dataVolumeMountPath: '/home/postgres/pgdata',
      tls: serverTls,
    });
    // THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a server set up elsewhere WHEN PgBackRestBackups back it up THEN three CronJobs and one config are as snapshotted', () => {
    // GIVEN
    const { chart, settings, clientTls, ref } = backupChart();
    const server = PgBackRestServerSidecar.fromServerAttributes({ host: 'app-db-0.app-db', dataDirectory: '/home/postgres/pgdata/pgroot/data' });
    // WHEN
    new PgBackRestBackups(chart, 'Backups', {
      settings,
      server,
      tls: clientTls,
      differential: Schedule.cron({ minute: '0', hour: '14', weekDay: 'WED' }),
      timeZone: 'Europe/Berlin',
      failureWebhook: ref('ops-webhook', 'url'),
    });
    // THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a database WHEN PgDumpBackup dumps it onto a new claim THEN the CronJob, script and claim are as snapshotted', () => {
    // GIVEN
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'app-db-backup'), 'password');
    // WHEN
    new PgDumpBackup(chart, 'Dump', {
      connection: { host: 'app-db-ro', database: 'shop', user: 'backup', password },
      storage: DumpStorage.newClaim(Size.gibibytes(20), 'standard-rwo'),
      format: DumpFormat.DIRECTORY,
      jobs: 2,
      keep: 14,
    });
    // THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('GIVEN a posix pgBackRest repository WHEN RestoreTest checks its latest backup THEN the CronJob, script and config are as snapshotted', () => {
    // GIVEN
    const { chart, ref } = backupChart();
    const settings = { stanza: 'app-db', repositories: [BackupRepository.posix({ retentionFull: FullRetention.count(2) })] };
    const repo = kplus.Volume.fromPersistentVolumeClaim(chart, 'Repo', kplus.PersistentVolumeClaim.fromClaimName(chart, 'RepoClaim', 'pgbackrest-repo'));
    // WHEN
    new RestoreTest(chart, 'RestoreTest', {
      source: RestoreSource.pgBackRest(settings, { repositoryVolume: repo }),
      database: 'shop',
      checks: [RestoreCheck.tableExists('orders'), RestoreCheck.freshness('orders', 'created_at', Duration.hours(24)), RestoreCheck.query('currency_count', 'SELECT count(*) FROM currencies', '3')],
      reportWebhook: ref('ops-webhook', 'url'),
      pushgatewayUrl: 'http://pushgateway.monitoring:9091',
    });
    // THEN
    expect(synthValidated(chart)).toMatchSnapshot();
  });
});
