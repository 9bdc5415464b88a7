import { IConstruct } from 'constructs';
import { CompressType, PgBackRestSettings } from './pgbackrest-settings';
import { S3KeyType } from './repository';
import { propError } from '../core/errors';
import { checkAbsolutePath, checkInteger, checkText } from '../core/prop-checks';
import { renderPgBackRestIni } from '../core/render/pgbackrest-ini';
import { ConfEntry, ConfSection, RenderError } from '../core/render/value';
import { SecretKeyRef } from '../core/secret-ref';

/** Where the PostgreSQL data directory is, seen from the process that reads the file. */
export interface PgBackRestPgPlacement {
  /** `pg1-path`. */
  readonly path: string;
  readonly port?: number;
  readonly socketPath?: string;
  readonly user?: string;
  /** A remote database reached through its pgBackRest TLS server (`pg1-host-type=tls`). */
  readonly tlsHost?: {
    readonly host: string;
    readonly port: number;
    readonly caFile: string;
    readonly certFile: string;
    readonly keyFile: string;
  };
}

/** Paths the process owns: lock and spool directories, mounted key files, the TLS server. */
export interface PgBackRestPlacement {
  readonly pg: PgBackRestPgPlacement;
  readonly lockPath: string;
  readonly spoolPath: string;
  /** Where each repository's path lives when it is a mounted volume (posix), by repo index (1-based). */
  readonly repoPathPrefix?: (index: number) => string;
  /** Mounted GCS key file per repository index, when there is one. */
  readonly gcsKeyFile?: (index: number) => string | undefined;
  /** `tls-server-*` options when this config runs `pgbackrest server`. */
  readonly tlsServer?: {
    readonly address: string;
    readonly port: number;
    readonly caFile: string;
    readonly certFile: string;
    readonly keyFile: string;
    /** Client certificate common names allowed to use the stanza. */
    readonly clientCommonNames: string[];
  };
  /** log-level-console (e.g. `info` in jobs, `warn` in the archive path). */
  readonly logLevelConsole?: string;
}

/** A secret delivered to the container as an environment variable. */
export interface PgBackRestSecretEnv {
  readonly name: string;
  readonly value: SecretKeyRef;
}

export function checkPgBackRestSettings(scope: IConstruct, settings: PgBackRestSettings): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(settings.stanza ?? '')) {
    throw propError(scope, 'settings.stanza', settings.stanza, 'a stanza name uses letters, digits, "_", "." and "-", starting with a letter or digit');
  }
  const repos = settings.repositories ?? [];
  if (repos.length < 1 || repos.length > 4) {
    throw propError(scope, 'settings.repositories', repos.length, 'pgBackRest takes one to four repositories');
  }
  checkCompression(scope, settings);
  checkInteger(scope, 'settings.processMax', settings.processMax, 1, 999);
  repos.forEach((repo, i) => {
    const at = `settings.repositories[${i}]`;
    const o = repo.options;
    if (!o?.retentionFull) throw propError(scope, `${at}.retentionFull`, undefined, 'say how many full backups to keep: FullRetention.count(n) or FullRetention.time(age)');
    if (o.retentionFull.retentionType === 'count') {checkInteger(scope, `${at}.retentionFull`, o.retentionFull.value, 1, 9999999);} else if (!(o.retentionFull.value >= 1) || !Number.isInteger(o.retentionFull.value)) {
      throw propError(scope, `${at}.retentionFull`, o.retentionFull.value, 'time retention is whole days, at least 1');
    }
    checkInteger(scope, `${at}.retentionDiff`, o.retentionDiff, 1, 9999999);
    checkInteger(scope, `${at}.retentionArchive`, o.retentionArchive, 1, 9999999);
    checkText(scope, `${at}.path`, o.path);
    if (o.path !== undefined && !o.path.startsWith('/')) throw propError(scope, `${at}.path`, o.path, 'an absolute path, e.g. "/pgbackrest"');
    checkAbsolutePath(scope, `${at}.path`, o.path);
    if (repo._s3) {
      for (const prop of ['bucket', 'endpoint', 'region'] as const) {
        if (!repo._s3[prop]) throw propError(scope, `${at}.s3.${prop}`, repo._s3[prop], `an S3 repository needs ${prop}`);
        checkText(scope, `${at}.s3.${prop}`, repo._s3[prop]);
      }
      const shared = (repo._s3.keyType ?? S3KeyType.SHARED) === S3KeyType.SHARED;
      if (shared !== (repo._s3.credentials !== undefined)) {
        throw propError(scope, `${at}.s3.credentials`, repo._s3.credentials ? 'set' : undefined,
          shared ? 'shared keys need credentials from a Secret (or use S3KeyType.WEB_ID / AUTO)' : 'credentials are only used with S3KeyType.SHARED');
      }
    }
    if (repo._gcs && !repo._gcs.bucket) throw propError(scope, `${at}.gcs.bucket`, repo._gcs.bucket, 'a GCS repository needs bucket');
    if (repo._azure) {
      for (const prop of ['account', 'container'] as const) {
        if (!repo._azure[prop]) throw propError(scope, `${at}.azure.${prop}`, repo._azure[prop], `an Azure repository needs ${prop}`);
      }
    }
  });
}

/** The level must be in the range of the chosen type: pgBackRest refuses it only when a backup starts. */
function checkCompression(scope: IConstruct, settings: PgBackRestSettings): void {
  const type = settings.compressType ?? CompressType.ZST;
  const level = settings.compressLevel;
  if (level === undefined) return;
  if (type.minLevel === undefined || type.maxLevel === undefined) {
    throw propError(scope, 'settings.compressLevel', level, `compress type "${type.value}" takes no level: leave compressLevel unset`);
  }
  if (!Number.isInteger(level) || level < type.minLevel || level > type.maxLevel) {
    throw propError(scope, 'settings.compressLevel', level,
      `with compress type "${type.value}", an integer from ${type.minLevel} to ${type.maxLevel} (pgBackRest's default is ${type.defaultLevel})`);
  }
}

/**
 * Checks the paths that become `pg1-path` and `pg1-socket-path`, and the port: pgBackRest takes
 * them verbatim, and PostgreSQL's socket `<dir>/.s.PGSQL.<port>` must fit a unix socket address
 * (107 bytes).
 */
export function checkPgPaths(scope: IConstruct, dataDirectory: string, socketDirectory: string | undefined, port: number | undefined, prefix = ''): void {
  if (dataDirectory === undefined) throw propError(scope, `${prefix}dataDirectory`, undefined, 'PGDATA as the database container sees it is required');
  checkAbsolutePath(scope, `${prefix}dataDirectory`, dataDirectory);
  checkInteger(scope, `${prefix}postgresPort`, port, 1, 65535);
  checkAbsolutePath(scope, `${prefix}socketDirectory`, socketDirectory, 107 - `/.s.PGSQL.${port ?? 5432}`.length);
}

/** Renders pgbackrest.conf: `[global]` with the repositories, `[<stanza>]` with the database. */
export function renderPgBackRestConfig(scope: IConstruct, settings: PgBackRestSettings, place: PgBackRestPlacement): string {
  const global: ConfEntry[] = [];
  const add = (key: string, value: string | number | boolean | string[] | undefined) => {
    if (value !== undefined) global.push({ key, value });
  };
  settings.repositories.forEach((repo, i) => {
    const n = i + 1;
    const o = repo.options;
    add(`repo${n}-type`, repo.repositoryType);
    add(`repo${n}-path`, repo.repositoryType === 'posix' && place.repoPathPrefix ? `${place.repoPathPrefix(n)}${o.path ?? '/pgbackrest'}` : o.path ?? '/pgbackrest');
    for (const entry of repo._typeEntries) add(`repo${n}-${entry.key}`, entry.value as string);
    add(`repo${n}-gcs-key`, place.gcsKeyFile?.(n));
    add(`repo${n}-retention-full-type`, o.retentionFull.retentionType);
    add(`repo${n}-retention-full`, o.retentionFull.value);
    add(`repo${n}-retention-diff`, o.retentionDiff);
    add(`repo${n}-retention-archive`, o.retentionArchive);
    if (o.cipherPassphrase) add(`repo${n}-cipher-type`, 'aes-256-cbc');
  });
  add('compress-type', (settings.compressType ?? CompressType.ZST).value);
  add('compress-level', settings.compressLevel);
  add('process-max', settings.processMax ?? 2);
  add('archive-async', settings.archiveAsync ?? true);
  add('spool-path', place.spoolPath);
  add('lock-path', place.lockPath);
  add('start-fast', settings.startFast ?? true);
  add('backup-standby', settings.backupStandby ?? false);
  add('delta', settings.delta ?? true);
  add('log-level-console', place.logLevelConsole ?? 'info');
  // Containers log to stdout; there is no log directory to write.
  add('log-level-file', 'off');
  const server = place.tlsServer;
  if (server) {
    add('tls-server-address', server.address);
    add('tls-server-port', server.port);
    add('tls-server-ca-file', server.caFile);
    add('tls-server-cert-file', server.certFile);
    add('tls-server-key-file', server.keyFile);
    add('tls-server-auth', server.clientCommonNames.map((cn) => `${cn}=${settings.stanza}`));
  }

  const pg = place.pg;
  const stanza: ConfEntry[] = [{ key: 'pg1-path', value: pg.path }];
  const addPg = (key: string, value: string | number | undefined) => value !== undefined && stanza.push({ key, value });
  addPg('pg1-port', pg.port);
  addPg('pg1-socket-path', pg.socketPath);
  addPg('pg1-user', pg.user);
  if (pg.tlsHost) {
    addPg('pg1-host', pg.tlsHost.host);
    addPg('pg1-host-type', 'tls');
    addPg('pg1-host-port', pg.tlsHost.port);
    addPg('pg1-host-ca-file', pg.tlsHost.caFile);
    addPg('pg1-host-cert-file', pg.tlsHost.certFile);
    addPg('pg1-host-key-file', pg.tlsHost.keyFile);
  }
  const sections: ConfSection[] = [{ name: 'global', entries: global }, { name: settings.stanza, entries: stanza }];
  try {
    return renderPgBackRestIni('pgbackrest.conf', sections);
  } catch (e) {
    if (e instanceof RenderError) throw propError(scope, 'settings', undefined, e.message);
    throw e;
  }
}

/** The secrets every pgBackRest process of this configuration needs, as environment variables. */
export function pgbackrestSecretEnv(settings: PgBackRestSettings): PgBackRestSecretEnv[] {
  return settings.repositories.flatMap((repo, i) => {
    const prefix = `PGBACKREST_REPO${i + 1}`;
    const env: PgBackRestSecretEnv[] = [];
    if (repo._s3?.credentials) {
      env.push({ name: `${prefix}_S3_KEY`, value: repo._s3.credentials.accessKeyId });
      env.push({ name: `${prefix}_S3_KEY_SECRET`, value: repo._s3.credentials.secretAccessKey });
    }
    if (repo._azure) env.push({ name: `${prefix}_AZURE_KEY`, value: repo._azure.key });
    if (repo.options.cipherPassphrase) env.push({ name: `${prefix}_CIPHER_PASS`, value: repo.options.cipherPassphrase });
    return env;
  });
}
