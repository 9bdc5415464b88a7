import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  BackupRepository, DumpStorage, FullRetention, ImageCatalog, PgBackRestBackups, PgBackRestServerSidecar, PgDumpBackup, RestoreCheck, RestoreSource,
  RestoreTest, Schedule, SecretKeyRef,
} from '../../src';

/**
 * A plain PostgreSQL StatefulSet made recoverable: WAL archived to S3 by pgBackRest, weekly full
 * and daily incremental backups taken through the pgBackRest TLS server sidecar, a nightly
 * pg_dump kept for 14 days, and a Slack message when any of them fails.
 */
export class BackedUpPostgresChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const secret = (name: string, key: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(this, `${name}-${key}`, name), key);
    const tls = (name: string) => ({ certificate: secret(name, 'tls.crt'), privateKey: secret(name, 'tls.key'), ca: secret(name, 'ca.crt') });

    const settings = {
      stanza: 'app-db',
      repositories: [BackupRepository.s3(
        {
          bucket: 'acme-db-backups',
          endpoint: 's3.eu-west-1.amazonaws.com',
          region: 'eu-west-1',
          credentials: { accessKeyId: secret('pgbackrest-s3', 'access-key-id'), secretAccessKey: secret('pgbackrest-s3', 'secret-access-key') },
        },
        { path: '/app-db', retentionFull: FullRetention.time(Duration.days(30)), cipherPassphrase: secret('pgbackrest-cipher', 'passphrase') },
      )],
    };

    const data = kplus.Volume.fromPersistentVolumeClaim(this, 'Data', kplus.PersistentVolumeClaim.fromClaimName(this, 'DataClaim', 'pgdata-app-db-0'));
    const db = new kplus.StatefulSet(this, 'AppDb', {
      metadata: { name: 'app-db' },
      // A headless Service named like the StatefulSet: its first pod is app-db-0.app-db.
      service: new kplus.Service(this, 'AppDbService', { metadata: { name: 'app-db' }, clusterIP: 'None', ports: [{ port: 5432 }] }),
      securityContext: { user: 999, group: 999, fsGroup: 999 },
      containers: [{
        name: 'postgres',
        image: ImageCatalog.PATRONI.reference, // Spilo ships PostgreSQL with pgBackRest for archive_command
        portNumber: 5432,
        securityContext: { user: 999, group: 999, readOnlyRootFilesystem: false },
        volumeMounts: [{ path: '/home/postgres/pgdata', volume: data }],
      }],
    });
    // The sidecar wires the database container itself: pgBackRest's config and secrets for
    // archive_command, and the shared socket directory.
    const server = new PgBackRestServerSidecar(this, 'BackupServer', {
      workload: db,
      databaseContainer: db.containers[0],
      settings,
      dataDirectory: '/home/postgres/pgdata/pgroot/data',
      dataVolume: data,
      dataVolumeMountPath: '/home/postgres/pgdata',
      tls: tls('pgbackrest-server-tls'),
    });

    const failureWebhook = secret('ops-slack-webhook', 'url');
    // Paths, ports and the host (app-db-0.app-db) come from the server.
    new PgBackRestBackups(this, 'Backups', {
      settings,
      server,
      tls: tls('pgbackrest-client-tls'),
      timeZone: 'Europe/Berlin',
      failureWebhook,
    });

    new PgDumpBackup(this, 'NightlyDump', {
      connection: { host: 'app-db', database: 'myapp_production', user: 'backup', password: secret('app-db-backup', 'password') },
      storage: DumpStorage.existingClaim('app-db-dumps'),
      schedule: Schedule.cron({ minute: '30', hour: '1' }),
      keep: 14,
      failureWebhook,
    });

    // "A backup that has never been tested is not a backup": every Wednesday, restore the latest
    // pgBackRest backup and check it; on Thursdays do the same with the newest dump.
    const checks = [
      RestoreCheck.tableExists('orders'),
      RestoreCheck.minRows('orders', 1000),
      RestoreCheck.freshness('orders', 'inserted_at', Duration.hours(48)),
      RestoreCheck.integrity(),
    ];
    new RestoreTest(this, 'RestoreTest', {
      source: RestoreSource.pgBackRest(settings),
      database: 'myapp_production',
      checks,
      scratchSize: Size.gibibytes(100),
      reportWebhook: failureWebhook,
      pushgatewayUrl: 'http://pushgateway.monitoring.svc:9091',
    });
    new RestoreTest(this, 'DumpRestoreTest', {
      source: RestoreSource.pgDump(DumpStorage.existingClaim('app-db-dumps'), 'myapp_production'),
      schedule: Schedule.cron({ minute: '0', hour: '6', weekDay: 'THU' }),
      checks,
      reportWebhook: failureWebhook,
      pushgatewayUrl: 'http://pushgateway.monitoring.svc:9091',
    });
  }
}
