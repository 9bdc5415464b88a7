import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { freePort } from './ports';
import { PostgresServer } from './postgres';
import { run, runUnchecked, Service, serviceTempDir, startService, waitFor, writeServiceFile } from './processes';
import { program } from './programs';
import { makeTestPki } from './tls';
import { BackupRepository, FullRetention, PgBackRestSettings, SecretKeyRef, WalArchiving } from '../../../src';
import { checkPgBackRestSettings, pgbackrestSecretEnv, renderPgBackRestConfig } from '../../../src/backup/pgbackrest-config';
import { renderPostgresConf } from '../../../src/core/render/postgres-conf';

export interface BackupStackOptions {
  /** Full backups kept. */
  readonly retentionFull?: number;
  /** Encrypt the repository with this passphrase, delivered only through the environment. */
  readonly cipherPassphrase?: string;
}

/**
 * The backup topology the backup constructs describe, on one machine: PostgreSQL 15 archiving
 * WAL with `archive_command` from `WalArchiving`; a `pgbackrest server` (TLS) beside it, as the
 * sidecar runs; and a "job" config that reaches the database only through that TLS server, as the
 * backup CronJob does. Both pgbackrest.conf files are rendered by the library.
 */
export class BackupStack {
  public static async start(options: BackupStackOptions = {}): Promise<BackupStack> {
    const dir = serviceTempDir('pgbackrest');
    // Directories are made by the service user, so pgbackrest and postgres own them.
    const d = (name: string) => {
      const p = path.join(dir.path, name);
      run('/bin/mkdir', ['-p', '-m', '0700', p]);
      return p;
    };
    const pki = makeTestPki(d('tls'));
    const chart = Testing.chart();
    const passphrase = options.cipherPassphrase
      ? SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Cipher', 'pgbackrest-cipher'), 'passphrase')
      : undefined;
    const settings: PgBackRestSettings = {
      stanza: 'main',
      repositories: [BackupRepository.posix({ path: d('repo'), retentionFull: FullRetention.count(options.retentionFull ?? 2), cipherPassphrase: passphrase })],
      processMax: 2,
    };
    checkPgBackRestSettings(chart, settings);
    // The secret env, by the names the constructs deliver them under, with the test's values.
    const env: NodeJS.ProcessEnv = {};
    for (const secret of pgbackrestSecretEnv(settings)) env[secret.name] = options.cipherPassphrase;

    const dbConf = path.join(dir.path, 'db.conf');
    const jobConf = path.join(dir.path, 'job.conf');
    const server = await PostgresServer.start({
      env,
      conf: renderPostgresConf('postgresql.conf', [
        ...WalArchiving.postgresSettings({ stanza: 'main', configFile: dbConf }).map((s) => ({ key: s.name, value: s.value })),
        { key: 'max_wal_senders', value: 3 },
      ]),
    });
    const tlsPort = await freePort();
    writeServiceFile(dbConf, renderPgBackRestConfig(chart, settings, {
      pg: { path: server.dataDir, port: server.port, socketPath: server.socketDir },
      lockPath: d('lock-db'),
      spoolPath: d('spool-db'),
      logLevelConsole: 'warn',
      tlsServer: {
        address: 'localhost',
        port: tlsPort,
        caFile: pki.caFile,
        certFile: pki.serverCertFile,
        keyFile: pki.serverKeyFile,
        clientCommonNames: [pki.clientCommonName],
      },
    }));
    writeServiceFile(jobConf, renderPgBackRestConfig(chart, settings, {
      // The remote end connects to PostgreSQL with the *client's* pg1 options: port and socket too.
      pg: { path: server.dataDir, port: server.port, socketPath: server.socketDir, tlsHost: { host: 'localhost', port: tlsPort, caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile } },
      lockPath: d('lock-job'),
      spoolPath: d('spool-job'),
    }));
    const tlsServer = startService('pgbackrest-server', program('pgbackrest'), [`--config=${dbConf}`, 'server'], { env });
    const stack = new BackupStack(dir, server, tlsServer, dbConf, jobConf, env);
    let ping = '';
    await waitFor('the pgBackRest TLS server', () => {
      // server-ping takes the server's address and port from the server's own config
      const result = runUnchecked(program('pgbackrest'), [`--config=${dbConf}`, 'server-ping'], { timeoutMs: 10_000 });
      ping = `${result.stdout}${result.stderr}`;
      return result.status === 0;
    }, 15_000, tlsServer).catch((e: Error) => {
      throw new Error(`${e.message}\nlast server-ping:\n${ping}`);
    });
    return stack;
  }

  private constructor(
    private readonly dir: { path: string; remove: () => void },
    public readonly postgres: PostgresServer,
    private readonly tlsServer: Service,
    public readonly dbConf: string,
    public readonly jobConf: string,
    public readonly env: NodeJS.ProcessEnv,
  ) {}

  /** pgbackrest as the backup job runs it: through the TLS server only. */
  public job(args: string[], env: NodeJS.ProcessEnv = this.env) {
    return runUnchecked(program('pgbackrest'), [`--config=${this.jobConf}`, '--stanza=main', ...args], { env, timeoutMs: 120_000 });
  }

  /** pgbackrest on the database host (restore, archive-get). */
  public db(args: string[], env: NodeJS.ProcessEnv = this.env) {
    return runUnchecked(program('pgbackrest'), [`--config=${this.dbConf}`, '--stanza=main', ...args], { env, timeoutMs: 120_000 });
  }

  /** `pgbackrest info --output=json` for the stanza's backups. */
  public backups(): Array<{ label: string; type: string; prior: string | null; [k: string]: any }> {
    const info = this.job(['info', '--output=json']);
    if (info.status !== 0) throw new Error(`pgbackrest info failed:\n${info.stdout}${info.stderr}`);
    return JSON.parse(info.stdout)[0].backup;
  }

  public async stop(): Promise<void> {
    await this.tlsServer.stop();
    await this.postgres.stop();
    this.dir.remove();
  }
}

/** Fails with pgbackrest's own output when a command fails. */
export function ok(result: { status: number | null; stdout: string; stderr: string }, what: string): string {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}
