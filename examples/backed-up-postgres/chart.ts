import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  BackupRepository, ContainerImage, DumpStorage, FullRetention, PgBackRestBackups, PgBackRestServerSidecar, PgDumpBackup, PostgresConfig,
  RestoreCheck, RestoreSource, RestoreTest, Schedule, SecretKeyRef,
} from '../../src';

/** The official postgres image with pgBackRest added: the team's own build, pinned. */
const DATABASE_IMAGE = ContainerImage.of('registry.example.com/postgres-pgbackrest', '15.18-2.45');
const DATA_MOUNT = '/var/lib/postgresql/data';
/** A directory below the mount point, as the postgres image recommends (the volume's root may hold lost+found). */
const DATA_DIRECTORY = '/var/lib/postgresql/data/pgdata';

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
    // The server reads its settings from this file; the archive settings join it below.
    const conf = new PostgresConfig(this, 'Conf');
    const db = new kplus.StatefulSet(this, 'AppDb', {
      metadata: { name: 'app-db' },
      // A headless Service named like the StatefulSet: its first pod is app-db-0.app-db.
      service: new kplus.Service(this, 'AppDbService', { metadata: { name: 'app-db' }, clusterIP: 'None', ports: [{ port: 5432 }] }),
      securityContext: { user: 999, group: 999, fsGroup: 999 },
      containers: [{
        name: 'postgres',
        // The official postgres image with pgBackRest 2.45 added (archive_command runs it), built by the team.
        image: DATABASE_IMAGE.reference,
        args: conf.args,
        envVariables: { PGDATA: kplus.EnvValue.fromValue(DATA_DIRECTORY) },
        portNumber: 5432,
        securityContext: { user: 999, group: 999, readOnlyRootFilesystem: false },
        volumeMounts: [{ path: DATA_MOUNT, volume: data }],
      }],
    });
    // The sidecar wires the database container itself: pgBackRest's config and secrets for
    // archive_command, and the shared socket directory.
    const server = new PgBackRestServerSidecar(this, 'BackupServer', {
      workload: db,
      databaseContainer: db.containers[0],
      settings,
      dataDirectory: DATA_DIRECTORY,
      dataVolume: data,
      dataVolumeMountPath: DATA_MOUNT,
      tls: tls('pgbackrest-server-tls'),
    });
    // wal_level, archive_mode, archive_command (pgbackrest archive-push), archive_timeout, restore_command
    conf.addSettings(...server.postgresSettings());
    conf.mount(db, db.containers[0]);

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
