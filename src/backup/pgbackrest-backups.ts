import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkPgBackRestSettings, checkPgPaths, renderPgBackRestConfig } from './pgbackrest-config';
import { mountTls, PGBACKREST_CLIENT_LABEL, PGBACKREST_PATHS, podPlacement, wirePgBackRest } from './pgbackrest-pod';
import { IPgBackRestServer } from './pgbackrest-server';
import { PgBackRestSettings } from './pgbackrest-settings';
import { PgBackRestTls } from './pgbackrest-tls';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { checkPlusMajor } from '../core/plus-objects';
import { checkInteger, checkText } from '../core/prop-checks';
import { Schedule } from '../core/schedule';
import { scheduledJob, workContainer } from '../core/scheduled-job';
import { FailureNotificationOptions, ScheduledJobOptions } from '../core/scheduled-job-options';
import { RestrictedSecurity } from '../core/security';

/** Props of `PgBackRestBackups`. */
export interface PgBackRestBackupsProps extends ScheduledJobOptions, FailureNotificationOptions {
  /** pgBackRest's settings; the same stanza and repositories as the server's. */
  readonly settings: PgBackRestSettings;
  /**
   * The pgBackRest TLS server the jobs back up through: a `PgBackRestServerSidecar`, or
   * `PgBackRestServerSidecar.fromServerAttributes()` for one set up elsewhere. Its data
   * directory, socket directory and ports become the jobs' `pg1-*` options.
   */
  readonly server: IPgBackRestServer;
  /**
   * DNS name of the database pod running the server, e.g. `app-db-0.app-db` (the primary, or a
   * standby with `backupStandby`).
   * @default - the server's `host` (a StatefulSet's first pod through its Service)
   */
  readonly databaseHost?: string;
  /** The client certificate (its common name must be allowed by the server) and the CA of the server. */
  readonly tls: PgBackRestTls;
  /**
   * Full backups.
   * @default Schedule.cron({ minute: '0', hour: '4', weekDay: 'SUN' }) (Sundays 04:00, outside every daylight-saving gap)
   */
  readonly full?: Schedule;
  /**
   * Differential backups (changes since the last full).
   * @default - none
   */
  readonly differential?: Schedule;
  /**
   * Incremental backups (changes since the last backup of any type).
   * @default Schedule.cron({ minute: '0', hour: '4', weekDay: 'MON-SAT' })
   */
  readonly incremental?: Schedule;
  /**
   * The posix repository volume, when a repository is posix.
   * @default - none
   */
  readonly repositoryVolume?: kplus.Volume;
  /**
   * The jobs' image, with the pgBackRest version of the server's.
   * @default ImageCatalog.PGBACKREST
   */
  readonly image?: ContainerImage;
  /**
   * Numeric user of the jobs.
   * @default 999
   */
  readonly runAsUser?: number;
}

/**
 * Scheduled pgBackRest backups: one CronJob per backup type (full, differential, incremental),
 * each reaching the database through its pgBackRest TLS server. A run creates the stanza when it
 * is missing, backs up, and expires what retention no longer needs; with `failureWebhook` a
 * failed run is posted to the webhook.
 */
export class PgBackRestBackups extends Construct {
  /** The CronJobs by backup type (`full`, `diff`, `incr`). */
  public readonly cronJobs: { [backupType: string]: kplus.CronJob } = {};
  /** The ConfigMap holding the jobs' `pgbackrest.conf`. */
  public readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: PgBackRestBackupsProps) {
    super(scope, id);
    checkPgBackRestSettings(this, props.settings);
    checkPlusMajor(this, 'repositoryVolume', props.repositoryVolume);
    const server = props.server;
    if (!server) throw propError(this, 'server', server, 'the pgBackRest TLS server: a PgBackRestServerSidecar, or PgBackRestServerSidecar.fromServerAttributes({...})');
    const databaseHost = props.databaseHost ?? server.host;
    if (databaseHost === undefined) {
      throw propError(this, 'databaseHost', undefined, 'the server cannot name its pod (its workload is not a StatefulSet): give the DNS name of the database pod, e.g. "app-db-0.app-db"');
    }
    checkText(this, 'databaseHost', databaseHost);
    checkInteger(this, 'server.port', server.port, 1, 65535);
    checkPgPaths(this, server.dataDirectory, server.socketDirectory, server.postgresPort, 'server.');
    const user = props.runAsUser ?? RestrictedSecurity.POSTGRES_USER;
    this.configMap = new kplus.ConfigMap(this, 'Config');

    const schedules: Array<[string, string, Schedule | undefined]> = [
      ['full', 'Full', props.full ?? Schedule.cron({ minute: '0', hour: '4', weekDay: 'SUN' })],
      ['diff', 'Differential', props.differential],
      ['incr', 'Incremental', props.incremental ?? Schedule.cron({ minute: '0', hour: '4', weekDay: 'MON-SAT' })],
    ];
    let configText: string | undefined;
    for (const [type, name, schedule] of schedules) {
      if (!schedule) continue;
      const child = new Construct(this, name);
      const stanza = `--stanza=${props.settings.stanza}`;
      const config = `--config=${PGBACKREST_PATHS.configFile}`;
      const job = scheduledJob(child, schedule, { activeDeadline: Duration.hours(6), ...props }, {
        name: 'backup',
        image: (props.image ?? ImageCatalog.PGBACKREST).reference,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        // stanza-create is idempotent: the first run of a new cluster creates the stanza.
        command: ['/bin/sh', '-c', `pgbackrest ${config} ${stanza} stanza-create && exec pgbackrest ${config} ${stanza} --type=${type} backup`],
        resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
      }, `pgBackRest ${type} backup of stanza ${props.settings.stanza}`, user, { webhook: props.failureWebhook }, `backup-${type}`);
      job.podMetadata.addLabel(PGBACKREST_CLIENT_LABEL, 'true');
      const work = workContainer(job, 'backup');
      wirePgBackRest(child, work, props.settings, this.configMap, props.repositoryVolume);
      const tls = mountTls(child, work, props.tls);
      configText ??= renderPgBackRestConfig(this, props.settings, {
        ...podPlacement(props.settings),
        pg: {
          path: server.dataDirectory,
          port: server.postgresPort,
          socketPath: server.socketDirectory,
          tlsHost: { host: databaseHost, port: server.port, ...tls },
        },
      });
      this.cronJobs[type] = job;
    }
    if (configText) this.configMap.addData('pgbackrest.conf', configText);
  }
}
