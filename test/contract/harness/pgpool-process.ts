import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { freePort } from './ports';
import { chgrpToServiceGroup, chownToServiceUser, run, runUnchecked, Service, serviceTempDir, startService, waitFor } from './processes';
import { program } from './programs';
import { PgpoolSettings } from '../../../src';
import { checkPgpoolSettings, pgpoolStartScript, renderPgpoolConf, renderPoolHba } from '../../../src/replication/pgpool-config';

/** A pool user with its plain password (the test's stand-in for a Secret). */
export interface PoolUser {
  readonly name: string;
  readonly password: string;
}

/**
 * pgpool-II 4.3 on 127.0.0.5 started the way the pod starts it: the library's start script
 * writes pool_passwd with pg_enc (AES) from the passwords in its environment, then execs pgpool
 * with the rendered pgpool.conf and pool_hba.conf, a pcp.conf and the key file.
 */
export class PgpoolProcess {
  public static async start(settings: PgpoolSettings, users: readonly PoolUser[]): Promise<PgpoolProcess> {
    const dir = serviceTempDir('pgpool');
    const port = await freePort();
    const pcpPort = await freePort();
    const scope = Testing.chart();
    checkPgpoolSettings(scope, settings);
    // The pod's layout: the ConfigMap and the Secrets are read-only mounts owned by root (the key
    // group-readable through fsGroup, which pgpool refuses for a key file); only the run directory
    // (an emptyDir) is the container's to write.
    const mount = (name: string) => {
      const at = path.join(dir.path, name);
      fs.mkdirSync(at, { mode: 0o755 });
      return at;
    };
    const [configDir, pcpDir, keyDir] = ['config', 'pcp', 'key'].map(mount);
    const runDir = path.join(dir.path, 'run');
    fs.mkdirSync(runDir);
    chownToServiceUser(runDir);
    const files = {
      conf: path.join(configDir, 'pgpool.conf'),
      hba: path.join(configDir, 'pool_hba.conf'),
      pcp: path.join(pcpDir, 'pcp.conf'),
      keySource: path.join(keyDir, 'pgpoolkey'),
      key: path.join(runDir, '.pgpoolkey'),
      runDir,
    };
    const conf = renderPgpoolConf(scope, settings, {
      listenAddress: '127.0.0.5', port, pcpListenAddress: '127.0.0.5', pcpPort, runDir, poolPasswdFile: path.join(runDir, 'pool_passwd'),
    });
    const readOnly = (file: string, content: string, mode = 0o444) => {
      fs.writeFileSync(file, content, { mode });
      fs.chmodSync(file, mode);
    };
    readOnly(files.conf, conf);
    readOnly(files.hba, renderPoolHba(scope, ['127.0.0.0/8']));
    readOnly(files.pcp, `pcpadmin:${createHash('md5').update('pcp-secret').digest('hex')}\n`);
    readOnly(files.keySource, 'aes-key-5b9e0d\n', 0o440);
    chgrpToServiceGroup(files.keySource);
    const script = path.join(configDir, 'start.sh');
    const env: Record<string, string> = {};
    const scriptUsers = users.map((u, i) => {
      env[`POOL_PASSWORD_${i}`] = u.password;
      return { name: u.name, passwordVariable: `POOL_PASSWORD_${i}` };
    });
    readOnly(script, pgpoolStartScript(scriptUsers, files), 0o555);
    const launch = () => startService('pgpool', '/bin/sh', [script], { env: { ...env, PATH: `/usr/sbin:${process.env.PATH}` } });
    const pool = new PgpoolProcess(launch, users[0], port, conf, path.join(runDir, 'pool_passwd'), dir.remove);
    await pool.waitReady();
    return pool;
  }

  private current: Service;

  private constructor(
    private readonly launch: () => Service,
    private readonly probeUser: PoolUser,
    public readonly port: number,
    public readonly conf: string,
    public readonly poolPasswdFile: string,
    private readonly removeDir: () => void,
  ) {
    this.current = launch();
  }

  public get service(): Service {
    return this.current;
  }

  /** As the kubelet restarts a container: pgpool stopped by PID, the start script run again on the same run directory (the emptyDir outlives the container). */
  public async restart(): Promise<void> {
    await this.current.stop('SIGINT');
    this.current = this.launch();
    await this.waitReady();
  }

  private async waitReady(): Promise<void> {
    await waitFor('pgpool to accept a SCRAM login', () => this.tryQuery(this.probeUser, 'SELECT 1').status === 0, 60_000, this.current);
  }

  /** Runs SQL through pgpool as `user` with psql; unaligned, tuples only. */
  public query(user: PoolUser, sql: string, database = 'postgres'): string {
    return run(program('psql'), this.psqlArgs(user, sql, database), { env: { PGPASSWORD: user.password } }).replace(/\n$/, '');
  }

  /**
   * Runs a script through pgpool in one session, statement by statement as psql sends them
   * (a multi-statement `-c` string is one query, which pgpool never load-balances).
   */
  public script(user: PoolUser, sql: string, database = 'postgres'): string {
    const args = ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.5', '-p', String(this.port), '-U', user.name, '-d', database, '-f', '-'];
    return run(program('psql'), args, { env: { PGPASSWORD: user.password }, input: sql, timeoutMs: 180_000 }).replace(/\n$/, '');
  }

  public tryQuery(user: PoolUser, sql: string, database = 'postgres') {
    return runUnchecked(program('psql'), this.psqlArgs(user, sql, database), { env: { PGPASSWORD: user.password }, timeoutMs: 30_000 });
  }

  /** SHOW pool_nodes as rows of named columns. */
  public nodes(user: PoolUser): Array<Record<string, string>> {
    const out = run(program('psql'), ['-X', '-A', '-q', '-h', '127.0.0.5', '-p', String(this.port), '-U', user.name, '-d', 'postgres', '-c', 'SHOW pool_nodes'],
      { env: { PGPASSWORD: user.password } }).trim().split('\n');
    const header = out[0].split('|');
    return out.slice(1, -1).map((line) => Object.fromEntries(line.split('|').map((v, i) => [header[i], v])));
  }

  public async stop(): Promise<void> {
    await this.current.stop('SIGINT');
    this.removeDir();
  }

  private psqlArgs(user: PoolUser, sql: string, database: string): string[] {
    return ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.5', '-p', String(this.port), '-U', user.name, '-d', database, '-c', sql];
  }
}
