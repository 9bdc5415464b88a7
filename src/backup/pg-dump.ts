import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { pgDumpScript } from './pg-dump-script';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { checkInteger, checkText } from '../core/prop-checks';
import { Schedule } from '../core/schedule';
import { scheduledJob, workContainer } from '../core/scheduled-job';
import { FailureNotificationOptions, ScheduledJobOptions } from '../core/scheduled-job-options';
import { scriptFiles } from '../core/script-files';
import { SecretKeyRef } from '../core/secret-ref';
import { RestrictedSecurity } from '../core/security';

/** pg_dump's archive formats that pg_restore can list and restore selectively. */
export class DumpFormat {
  /** One compressed file. */
  public static readonly CUSTOM = new DumpFormat('custom');
  /** A directory of files; dumps and restores in parallel (`jobs`). */
  public static readonly DIRECTORY = new DumpFormat('directory');

  private constructor(
    /** `--format`. */
    public readonly value: string,
  ) {}
}

/** Where dumps are kept. */
export class DumpStorage {
  /** An existing PersistentVolumeClaim. */
  public static existingClaim(claimName: string): DumpStorage {
    return new DumpStorage(claimName);
  }

  /** A new claim made by the construct. */
  public static newClaim(size: Size, storageClassName?: string): DumpStorage {
    return new DumpStorage(undefined, size, storageClassName);
  }

  private constructor(
    /** The existing claim's name; undefined for a new claim. */
    public readonly claimName?: string,
    /** The size of a new claim; undefined for an existing one. */
    public readonly size?: Size,
    /** The storage class of a new claim; undefined for the cluster's default class. */
    public readonly storageClassName?: string,
  ) {}
}

/** The database to dump. */
export interface PgDumpConnection {
  /** Host name of the server, e.g. a read-only Service such as `app-db-ro`. */
  readonly host: string;
  /**
   * The server's port.
   * @default 5432
   */
  readonly port?: number;
  /** The database to dump; it also names the dump files (letters, digits, `_` and `-`). */
  readonly database: string;
  /** The role pg_dump connects as (it needs read access to everything dumped). */
  readonly user: string;
  /** The user's password, delivered as `PGPASSWORD`. */
  readonly password: SecretKeyRef;
}

/** Props of `PgDumpBackup`. */
export interface PgDumpBackupProps extends ScheduledJobOptions, FailureNotificationOptions {
  /** The database to dump and how to reach it. */
  readonly connection: PgDumpConnection;
  /** Where the dumps are kept: an existing claim, or a new one the construct makes. */
  readonly storage: DumpStorage;
  /**
   * With a `timeZone` that has daylight saving, keep it out of the hours the clocks skip
   * (00:00-04:00 and 22:00-24:00 somewhere in the world): a skipped run is a missing dump,
   * and the synth warns about one.
   * @default Schedule.cron({ minute: '0', hour: '5' }) (daily 05:00, outside every daylight-saving gap)
   */
  readonly schedule?: Schedule;
  /**
   * pg_dump's archive format.
   * @default DumpFormat.CUSTOM
   */
  readonly format?: DumpFormat;
  /**
   * Parallel dump jobs (directory format only).
   * @default 1
   */
  readonly jobs?: number;
  /**
   * Compression level 0-9.
   * @default 6
   */
  readonly compressionLevel?: number;
  /**
   * Newest dumps kept on the volume.
   * @default 7
   */
  readonly keep?: number;
  /**
   * Image with pg_dump and pg_restore of the server's major version or newer.
   * @default ImageCatalog.POSTGRES
   */
  readonly image?: ContainerImage;
  /**
   * Numeric user of the job.
   * @default 999
   */
  readonly runAsUser?: number;
}

const DUMP_DIR = '/backups';

/**
 * Throws unless `database` can name dump files: it is both a file name and part of the glob that
 * finds them again, and it reaches a shell (quoted, but checked all the same).
 */
export function checkDumpDatabase(scope: Construct, prop: string, database: string): void {
  if (typeof database !== 'string' || database.length > 63 || !/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(database)) {
    throw propError(scope, prop, database, 'a database name of at most 63 letters, digits, "_" and "-" (the name also names the dump files)');
  }
}
const SCRIPT_DIR = '/opt/pg-dump';

/**
 * Logical backups with pg_dump on a schedule. Each dump is read to its end with
 * `pg_restore` before older ones are pruned, so an unreadable dump fails the job instead of silently
 * replacing good ones.
 */
export class PgDumpBackup extends Construct {
  /** The CronJob that runs the dumps. */
  public readonly cronJob: kplus.CronJob;
  /** The claim the dumps are kept on (give its name to `DumpStorage.existingClaim` for a restore test). */
  public readonly claim: kplus.IPersistentVolumeClaim;
  /** The script the job runs. */
  public readonly script: string;

  constructor(scope: Construct, id: string, props: PgDumpBackupProps) {
    super(scope, id);
    const c = props.connection;
    checkText(this, 'connection.host', c.host);
    checkInteger(this, 'connection.port', c.port, 1, 65535);
    checkDumpDatabase(this, 'connection.database', c.database);
    checkText(this, 'connection.user', c.user);
    const format = props.format ?? DumpFormat.CUSTOM;
    const jobs = props.jobs ?? 1;
    checkInteger(this, 'jobs', jobs, 1, 64);
    if (jobs > 1 && format !== DumpFormat.DIRECTORY) {
      throw propError(this, 'jobs', jobs, 'pg_dump runs in parallel only with DumpFormat.DIRECTORY');
    }
    const compressionLevel = props.compressionLevel ?? 6;
    checkInteger(this, 'compressionLevel', compressionLevel, 0, 9);
    const keep = props.keep ?? 7;
    checkInteger(this, 'keep', keep, 1, 1000);
    const user = props.runAsUser ?? RestrictedSecurity.POSTGRES_USER;

    this.script = pgDumpScript({ directory: DUMP_DIR, prefix: c.database, format: format.value as 'custom' | 'directory', jobs, compressionLevel, keep, scratch: '/tmp' });
    const claim = props.storage.claimName
      ? kplus.PersistentVolumeClaim.fromClaimName(this, 'Claim', props.storage.claimName)
      : new kplus.PersistentVolumeClaim(this, 'Claim', {
        storage: props.storage.size,
        storageClassName: props.storage.storageClassName,
        accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      });
    this.claim = claim;

    this.cronJob = scheduledJob(this, props.schedule ?? Schedule.cron({ minute: '0', hour: '5' }), { activeDeadline: Duration.hours(4), ...props }, {
      name: 'pg-dump',
      image: (props.image ?? ImageCatalog.POSTGRES).reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/bash', `${SCRIPT_DIR}/pg-dump.sh`],
      resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
      volumeMounts: [
        scriptFiles(this, SCRIPT_DIR, { 'pg-dump.sh': this.script }),
        { path: DUMP_DIR, volume: kplus.Volume.fromPersistentVolumeClaim(this, 'Dumps', claim, { name: 'dumps' }) },
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp') },
      ],
    }, `pg_dump of database ${c.database}`, user, { webhook: props.failureWebhook }, 'dump');
    const work = workContainer(this.cronJob, 'pg-dump');
    work.env.addVariable('PGHOST', kplus.EnvValue.fromValue(c.host));
    work.env.addVariable('PGPORT', kplus.EnvValue.fromValue(String(c.port ?? 5432)));
    work.env.addVariable('PGDATABASE', kplus.EnvValue.fromValue(c.database));
    work.env.addVariable('PGUSER', kplus.EnvValue.fromValue(c.user));
    c.password.addToEnv(work, 'PGPASSWORD');
    annotateConfigHash(this.cronJob.podMetadata, () => [this.script]);
  }
}
