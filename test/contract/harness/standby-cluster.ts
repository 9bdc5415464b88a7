import * as fs from 'fs';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { freePort } from './ports';
import { run, runUnchecked, Service, serviceTempDir, startService, waitFor, writeServiceFile } from './processes';
import { program } from './programs';
import { PostgresConfig, PostgresSetting, ReplicationPassword, StreamingReplication, StreamingReplicationProps, SecretKeyRef } from '../../../src';

/** The replication role and its password (SCRAM over TCP). */
export const REPLICATOR = { user: 'replicator', password: 'repl-secret-7c1e' };

/** One PostgreSQL 15 node on its own loopback address (127.0.0.x) and a free port. */
export class ClusterNode {
  private service!: Service;

  constructor(
    public readonly name: string,
    public readonly host: string,
    public readonly port: number,
    public readonly dataDir: string,
    public readonly socketDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  public get running(): boolean {
    return this.service?.running ?? false;
  }

  public get log(): string {
    return this.service.output;
  }

  public isReady(): boolean {
    return runUnchecked(program('pg_isready'), ['-h', this.socketDir, '-p', String(this.port), '-q'], { timeoutMs: 5_000 }).status === 0;
  }

  /** SQL as the postgres superuser over the private socket; unaligned, tuples only. */
  public query(sql: string, database = 'postgres'): string {
    return run(program('psql'), ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', this.socketDir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-c', sql]).replace(/\n$/, '');
  }

  /** Starts the server; harness placement (address, port, socket) on the command line, the rest from the data directory's files. */
  public async start(): Promise<void> {
    this.service = startService(`postgres-${this.name}`, program('postgres'), [
      '-D', this.dataDir, '-c', `port=${this.port}`, '-c', `listen_addresses=${this.host}`, '-c', `unix_socket_directories=${this.socketDir}`,
    ], { env: this.env });
    await waitFor(`${this.name} to accept connections`, () => this.isReady(), 60_000, this.service);
  }

  /** Fast shutdown. */
  public async stop(): Promise<void> {
    await this.service?.stop('SIGINT');
  }
}

export interface StandbyCluster {
  readonly replication: StreamingReplication;
  readonly primary: ClusterNode;
  readonly standbys: ClusterNode[];
  /** The rendered postgresql.conf of each node, by name. */
  readonly confs: Record<string, string>;
  stop(): Promise<void>;
}

export interface StandbyClusterOptions {
  /** Props of the StreamingReplication besides placement, user, password and standbys. */
  readonly replication?: Partial<StreamingReplicationProps>;
  /** Settings besides replication's, for every node (e.g. max_wal_size). */
  readonly extraSettings?: PostgresSetting[];
}

const HBA = [
  'local all all trust',
  `host replication ${REPLICATOR.user} 127.0.0.0/8 scram-sha-256`,
  'host all all 127.0.0.0/8 scram-sha-256',
  '',
].join('\n');

/**
 * A primary on 127.0.0.2 and standbys `db-1` on 127.0.0.3 (password from a passfile) and `db-2`
 * on 127.0.0.4 (password from PGPASSWORD in the server's environment), cloned with pg_basebackup
 * and configured only by the postgresql.conf that `StreamingReplication` and `PostgresConfig`
 * render (plus `standby.signal`, which is a file, not a setting).
 */
export async function startStandbyCluster(options: StandbyClusterOptions = {}): Promise<StandbyCluster> {
  const dirs = ['primary', 'db-1', 'db-2'].map((n) => serviceTempDir(`repl-${n}`));
  const ports = [await freePort(), await freePort(), await freePort()];
  const passfile = path.join(dirs[1].path, 'pgpass');
  const chart = Testing.chart();
  const secret = kplus.Secret.fromSecretName(chart, 'ReplicationSecret', 'replication');
  const common = {
    primaryHost: '127.0.0.2',
    primaryPort: ports[0],
    user: REPLICATOR.user,
    password: ReplicationPassword.passfile(passfile),
    standbys: [{ name: 'db-1' }, { name: 'db-2' }],
    walVolumeSize: Size.gibibytes(4),
    ...options.replication,
  };
  const replication = new StreamingReplication(chart, 'Replication', common);
  // db-2 reads the password from its environment: the same placement, another password source.
  const envPassword = ReplicationPassword.fromSecretEnv(SecretKeyRef.of(secret, 'password'));
  const envReplication = new StreamingReplication(chart, 'EnvReplication', { ...common, password: envPassword });
  const render = (id: string, settings: PostgresSetting[]) =>
    new PostgresConfig(chart, id, { settings: [...settings, ...(options.extraSettings ?? [])] }).render();
  const confs: Record<string, string> = {
    'primary': render('PrimaryConf', replication.primarySettings()),
    'db-1': render('Db1Conf', replication.standbySettings('db-1')),
    'db-2': render('Db2Conf', envReplication.standbySettings('db-2')),
  };

  const primaryData = path.join(dirs[0].path, 'data');
  run(program('initdb'), ['-D', primaryData, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--encoding=UTF8', '--locale=C']);
  writeServiceFile(path.join(primaryData, 'pg_hba.conf'), HBA);
  writeServiceFile(path.join(primaryData, 'replication.conf'), confs.primary);
  fs.appendFileSync(path.join(primaryData, 'postgresql.conf'), "\ninclude 'replication.conf'\n");
  const primary = new ClusterNode('primary', '127.0.0.2', ports[0], primaryData, dirs[0].path, {});
  await primary.start();
  // Before any standby is there, a synchronous_standby_names would hold these commits forever.
  primary.query(`SET synchronous_commit = local; CREATE ROLE ${REPLICATOR.user} LOGIN REPLICATION PASSWORD '${REPLICATOR.password}'`);
  primary.query(replication.slotCreationSql());

  const standbys: ClusterNode[] = [];
  for (const [i, name] of [[1, 'db-1'], [2, 'db-2']] as const) {
    const data = path.join(dirs[i].path, 'data');
    run(program('pg_basebackup'), ['-h', '127.0.0.2', '-p', String(ports[0]), '-U', REPLICATOR.user, '-D', data, '-X', 'stream', '--no-sync'],
      { env: { PGPASSWORD: REPLICATOR.password } });
    writeServiceFile(path.join(data, 'replication.conf'), confs[name]);
    writeServiceFile(path.join(data, 'standby.signal'), '');
    if (i === 1) writeServiceFile(passfile, `127.0.0.2:${ports[0]}:*:${REPLICATOR.user}:${REPLICATOR.password}\n`, 0o600);
    const env = i === 2 ? { PGPASSWORD: REPLICATOR.password } : {};
    const node = new ClusterNode(name, `127.0.0.${i + 2}`, ports[i], data, dirs[i].path, env);
    await node.start();
    standbys.push(node);
  }
  await waitFor('both standbys streaming', () => primary.query("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") === '2', 60_000);
  return {
    replication,
    primary,
    standbys,
    confs,
    stop: async () => {
      for (const node of [...standbys, primary]) await node.stop();
      dirs.forEach((d) => d.remove());
    },
  };
}

/** Bytes of WAL files in the node's pg_wal. */
export function walBytes(node: ClusterNode): number {
  return Number(node.query('SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()'));
}
