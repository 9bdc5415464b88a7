import { createHash } from 'crypto';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { freePort } from './ports';
import { run, runUnchecked, Service, serviceTempDir, startService, waitFor, writeServiceFile } from './processes';
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
    const files = {
      conf: path.join(dir.path, 'pgpool.conf'),
      hba: path.join(dir.path, 'pool_hba.conf'),
      pcp: path.join(dir.path, 'pcp.conf'),
      keySource: path.join(dir.path, 'key-from-secret'),
      key: path.join(dir.path, '.pgpoolkey'),
      runDir: dir.path,
    };
    const conf = renderPgpoolConf(scope, settings, {
      listenAddress: '127.0.0.5', port, pcpListenAddress: '127.0.0.5', pcpPort, runDir: dir.path, poolPasswdFile: path.join(dir.path, 'pool_passwd'),
    });
    writeServiceFile(files.conf, conf);
    writeServiceFile(files.hba, renderPoolHba(scope, ['127.0.0.0/8']));
    writeServiceFile(files.pcp, `pcpadmin:${createHash('md5').update('pcp-secret').digest('hex')}\n`);
    // As a Secret volume with fsGroup delivers it: group-readable, which pgpool refuses for a key.
    writeServiceFile(files.keySource, 'aes-key-5b9e0d\n', 0o440);
    const script = path.join(dir.path, 'start.sh');
    const env: Record<string, string> = {};
    const scriptUsers = users.map((u, i) => {
      env[`POOL_PASSWORD_${i}`] = u.password;
      return { name: u.name, passwordVariable: `POOL_PASSWORD_${i}` };
    });
    writeServiceFile(script, pgpoolStartScript(scriptUsers, files), 0o700);
    const service = startService('pgpool', '/bin/sh', [script], { env: { ...env, PATH: `/usr/sbin:${process.env.PATH}` } });
    const pool = new PgpoolProcess(service, port, conf, path.join(dir.path, 'pool_passwd'), dir.remove);
    await waitFor('pgpool to accept a SCRAM login', () => pool.tryQuery(users[0], 'SELECT 1').status === 0, 60_000, service);
    return pool;
  }

  private constructor(
    public readonly service: Service,
    public readonly port: number,
    public readonly conf: string,
    public readonly poolPasswdFile: string,
    private readonly removeDir: () => void,
  ) {}

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
    await this.service.stop('SIGINT');
    this.removeDir();
  }

  private psqlArgs(user: PoolUser, sql: string, database: string): string[] {
    return ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.5', '-p', String(this.port), '-U', user.name, '-d', database, '-c', sql];
  }
}
