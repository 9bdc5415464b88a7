import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDumpDatabase, DumpStorage } from './pg-dump';
import { checkPgBackRestSettings, renderPgBackRestConfig } from './pgbackrest-config';
import { PGBACKREST_PATHS, podPlacement, wirePgBackRest } from './pgbackrest-pod';
import { PgBackRestSettings } from './pgbackrest-settings';
import { RecoveryTarget } from './recovery-target';
import { RestoreCheck } from './restore-check';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { checkPlusMajor } from '../core/plus-objects';
import { checkDuration, checkInteger } from '../core/prop-checks';
import { RestoreFrom, restoreTestScript } from '../core/restore-check-script';
import { Schedule } from '../core/schedule';
import { scheduledJob, workContainer } from '../core/scheduled-job';
import { BasicAuthCredentials, ScheduledJobOptions } from '../core/scheduled-job-options';
import { scriptFiles } from '../core/script-files';
import { SecretKeyRef } from '../core/secret-ref';
import { RestrictedSecurity } from '../core/security';
import { checkServiceUrl } from '../core/urls';

/** Which pgBackRest backup a restore test restores. */
export interface PgBackRestRestoreOptions {
  /**
   * A backup set label (e.g. `20261124-020000F`).
   * @default - the latest backup
   */
  readonly label?: string;
  /**
   * Recover to this point instead of the end of the backup.
   * @default - stop as soon as the backup is consistent
   */
  readonly target?: RecoveryTarget;
  /**
   * The posix repository volume, when a repository is posix.
   * @default - none
   */
  readonly repositoryVolume?: kplus.Volume;
}

/** What a restore test restores from. */
export class RestoreSource {
  /** The latest (or a chosen) backup of a pgBackRest repository. */
  public static pgBackRest(settings: PgBackRestSettings, options: PgBackRestRestoreOptions = {}): RestoreSource {
    return new RestoreSource(settings, options, undefined, undefined);
  }

  /** The newest dump written by `PgDumpBackup` for `database` on an existing claim. */
  public static pgDump(storage: DumpStorage, database: string): RestoreSource {
    return new RestoreSource(undefined, undefined, storage, database);
  }

  private constructor(
    /** @internal */ public readonly _settings?: PgBackRestSettings,
    /** @internal */ public readonly _options?: PgBackRestRestoreOptions,
    /** @internal */ public readonly _dumps?: DumpStorage,
    /** @internal */ public readonly _dumpDatabase?: string,
  ) {}
}

/** Props of `RestoreTest`. */
export interface RestoreTestProps extends ScheduledJobOptions {
  /** The backup to restore: a pgBackRest repository or pg_dump files. */
  readonly source: RestoreSource;
  /** What a good restore looks like. At least one. */
  readonly checks: RestoreCheck[];
  /**
   * The database the checks run in (pgBackRest sources; a dump is restored into `restore_test`).
   * @default "postgres"
   */
  readonly database?: string;
  /**
   * When the test runs.
   * @default Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }) (Wednesdays 06:00)
   */
  readonly schedule?: Schedule;
  /**
   * Scratch space for the restored data directory (an emptyDir with this size limit).
   * @default Size.gibibytes(20)
   */
  readonly scratchSize?: Size;
  /**
   * Posts the report (figures on success, what failed on failure) to this Slack-compatible
   * webhook; the URL stays in its Secret.
   * @default - no webhook
   */
  readonly reportWebhook?: SecretKeyRef;
  /**
   * Pushgateway that receives `pgrel_restore_test_success`, `_duration_seconds` and
   * `_last_success_timestamp_seconds` (what the restore-test alerts read).
   * @default - no metrics pushed
   */
  readonly pushgatewayUrl?: string;
  /**
   * Basic-auth credentials of the Pushgateway, from Secrets (never in the URL, which is YAML).
   * @default - no authentication
   */
  readonly pushgatewayCredentials?: BasicAuthCredentials;
  /**
   * Image with PostgreSQL (server and client) of the backup's major version, and pgBackRest for
   * pgBackRest sources.
   * @default ImageCatalog.PATRONI for pgBackRest (Spilo ships both), ImageCatalog.POSTGRES for dumps
   */
  readonly image?: ContainerImage;
  /**
   * The restored cluster's superuser, used through a private trust-only socket.
   * @default "postgres"
   */
  readonly superuser?: string;
  /**
   * How long WAL replay may take before the test gives up.
   * @default Duration.minutes(30)
   */
  readonly startTimeout?: Duration;
  /**
   * Numeric user of the job; the restored PostgreSQL runs as this user.
   * @default 999
   */
  readonly runAsUser?: number;
}

const SCRIPT_DIR = '/opt/restore-test';
const SCRATCH = '/scratch';

/**
 * Proves the backups can be restored, on a schedule: restores the latest backup into scratch
 * space, starts PostgreSQL on it (private socket, archiving off), runs typed checks, reports the
 * figures to a webhook and a Pushgateway, and cleans up whatever happens. Pair it with
 * `AlertFamily.restoreTests()`.
 *
 * `activeDeadline` defaults to `startTimeout` plus 150 minutes for the restore itself; the work
 * is stopped five minutes before it, so even a run that is too slow ends in a failure report.
 */
export class RestoreTest extends Construct {
  /** The CronJob that runs the test. */
  public readonly cronJob: kplus.CronJob;
  /** The script the job runs. */
  public readonly script: string;

  constructor(scope: Construct, id: string, props: RestoreTestProps) {
    super(scope, id);
    if (!props.checks || props.checks.length === 0) {
      throw propError(this, 'checks', props.checks, 'at least one check: a restore that is not checked proves only that files were copied');
    }
    const source = props.source;
    const database = props.database ?? 'postgres';
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(database)) throw propError(this, 'database', database, 'a database name');
    const superuser = props.superuser ?? 'postgres';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(superuser)) throw propError(this, 'superuser', superuser, 'a role name');
    const timeout = checkDuration(this, 'startTimeout', props.startTimeout) ?? 30 * 60_000;
    // The restore itself (copying a large backup) comes on top of the start timeout, and the
    // last minutes of the deadline are the reporter's: see scheduledJob.
    const deadline = props.activeDeadline ?? Duration.minutes(Math.ceil(timeout / 60_000) + 150);
    const minimum = Math.ceil(timeout / 60_000) + 15;
    if ((checkDuration(this, 'activeDeadline', deadline) ?? 0) < minimum * 60_000) {
      throw propError(this, 'activeDeadline', deadline.toHumanString(), `at least startTimeout + 15 minutes (${minimum} minutes): restoring, starting and reporting must fit before the Job is killed`);
    }
    const user = props.runAsUser ?? RestrictedSecurity.POSTGRES_USER;
    checkInteger(this, 'runAsUser', user, 1, 2147483647);
    checkServiceUrl(this, 'pushgatewayUrl', props.pushgatewayUrl, 'http://pushgateway.monitoring:9091');

    let from: RestoreFrom;
    let sourceName: string;
    if (source._settings) {
      checkPgBackRestSettings(this, source._settings);
      const options = source._options ?? {};
      checkPlusMajor(this, 'source.repositoryVolume', options.repositoryVolume);
      if (options.label !== undefined && !/^\d{8}-\d{6}F(_\d{8}-\d{6}[DI])?$/.test(options.label)) {
        throw propError(this, 'source.label', options.label, 'a pgBackRest backup label such as "20261124-020000F"');
      }
      const selection = [...(options.label ? [`--set=${options.label}`] : []), ...(options.target ?? RecoveryTarget.immediate()).toPgBackRestOptions()];
      // Whatever the target says, the restored copy is promoted so the checks can run.
      const restoreOptions = selection.map((o) => (o.startsWith('--target-action') ? '--target-action=promote' : o));
      from = { kind: 'pgbackrest', config: PGBACKREST_PATHS.configFile, stanza: source._settings.stanza, options: restoreOptions };
      sourceName = source._settings.stanza;
    } else {
      if (!source._dumps?.claimName) throw propError(this, 'source', 'pgDump', 'restore tests read dumps from an existing claim: DumpStorage.existingClaim(name)');
      checkDumpDatabase(this, 'source.database', source._dumpDatabase!);
      from = { kind: 'pgdump', directory: '/backups', prefix: source._dumpDatabase! };
      sourceName = source._dumpDatabase!;
    }
    this.script = restoreTestScript({
      source: sourceName,
      from,
      checks: props.checks,
      database,
      superuser,
      port: 54329,
      startTimeoutSeconds: Math.ceil(timeout / 1000),
    });

    const scratch = kplus.Volume.fromEmptyDir(this, 'Scratch', 'scratch', { sizeLimit: props.scratchSize ?? Size.gibibytes(20) });
    const mounts: kplus.VolumeMount[] = [
      scriptFiles(this, SCRIPT_DIR, { 'restore-test.sh': this.script }),
      { path: SCRATCH, volume: scratch },
    ];
    if (source._dumps?.claimName) {
      const claim = kplus.PersistentVolumeClaim.fromClaimName(this, 'Dumps', source._dumps.claimName);
      mounts.push({ path: '/backups', volume: kplus.Volume.fromPersistentVolumeClaim(this, 'DumpsVolume', claim, { name: 'dumps', readOnly: true }), readOnly: true });
    }
    const defaultImage = source._settings ? ImageCatalog.PATRONI : ImageCatalog.POSTGRES;
    this.cronJob = scheduledJob(this, props.schedule ?? Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }), {
      ...props,
      activeDeadline: deadline,
    }, {
      name: 'restore-test',
      image: (props.image ?? defaultImage).reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/bash', `${SCRIPT_DIR}/restore-test.sh`],
      resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
      volumeMounts: mounts,
    }, `Restore test of ${sourceName}`, user, {
      webhook: props.reportWebhook,
      pushgatewayUrl: props.pushgatewayUrl,
      pushgatewayCredentials: props.pushgatewayCredentials,
      pushJob: `pgrel_restore_test/source/${sourceName}`,
    }, 'restore-test');
    const work = workContainer(this.cronJob, 'restore-test');
    work.env.addVariable('SCRATCH_DIR', kplus.EnvValue.fromValue(SCRATCH));
    if (!props.reportWebhook && !props.pushgatewayUrl) {
      // Without a reporter the report files still need somewhere to go.
      work.env.addVariable('JOB_STATUS_DIR', kplus.EnvValue.fromValue(SCRATCH));
    }
    if (source._settings) {
      const config = new kplus.ConfigMap(this, 'Config', {
        data: {
          'pgbackrest.conf': renderPgBackRestConfig(this, source._settings, {
            ...podPlacement(source._settings),
            // Overridden by --pg1-path on every run; pgBackRest needs a value in the stanza.
            pg: { path: `${SCRATCH}/data` },
          }),
        },
      });
      wirePgBackRest(this, work, source._settings, config, source._options?.repositoryVolume);
    }
    annotateConfigHash(this.cronJob.podMetadata, () => [this.script]);
  }
}
