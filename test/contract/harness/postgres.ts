import * as fs from 'fs';
import * as path from 'path';
import { freePort } from './ports';
import { run, runUnchecked, Service, serviceTempDir, startService, waitFor, writeServiceFile } from './processes';
import { program } from './programs';

export interface PostgresOptions {
  /** A postgresql.conf fragment (rendered by the library) included after the defaults. */
  readonly conf?: string;
  /** Extra initdb arguments, e.g. ["--data-checksums"]. */
  readonly initdbArgs?: readonly string[];
  /** Environment of the server (inherited by archive_command), e.g. PGBACKREST_* secrets. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A PostgreSQL 15 server on 127.0.0.1 and a private socket directory, in a temporary directory,
 * run as the postgres user. Harness settings (port, addresses, socket) are given on the command
 * line so a fragment under test cannot move the server out of the test's reach.
 */
export class PostgresServer {
  public static async start(options: PostgresOptions = {}): Promise<PostgresServer> {
    const dir = serviceTempDir('pg');
    const data = path.join(dir.path, 'data');
    run(program('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C', ...(options.initdbArgs ?? [])]);
    writeServiceFile(path.join(data, 'fragment.conf'), options.conf ?? '');
    fs.appendFileSync(path.join(data, 'postgresql.conf'), "\ninclude 'fragment.conf'\n");
    const server = new PostgresServer(dir, data, await freePort(), options.env ?? {});
    await server.startProcess();
    return server;
  }

  private service!: Service;

  private constructor(
    private readonly dir: { path: string; remove: () => void },
    public readonly dataDir: string,
    public readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The socket directory; pass as host to libpq clients. */
  public get socketDir(): string {
    return this.dir.path;
  }

  /** Everything the server logged so far. */
  public get log(): string {
    return this.service.output;
  }

  public get pid(): number {
    return this.service.pid;
  }

  public isReady(): boolean {
    return runUnchecked(program('pg_isready'), ['-h', this.socketDir, '-p', String(this.port), '-q'], { timeoutMs: 5_000 }).status === 0;
  }

  /** Runs SQL through psql and returns unaligned, tuples-only output without the final newline. */
  public query(sql: string, database = 'postgres'): string {
    return run(program('psql'), ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', this.socketDir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-c', sql]).replace(/\n$/, '');
  }

  /** Fast shutdown and start again on the same port and data directory. */
  public async restart(): Promise<void> {
    await this.service.stop('SIGINT');
    await this.startProcess();
  }

  /** Fast shutdown, leaving the data directory in place (for a restore into it). */
  public async shutdown(): Promise<void> {
    await this.service.stop('SIGINT');
  }

  /** Starts the server again after `shutdown()`, waiting up to `timeoutMs` (recovery can take a while). */
  public async startProcess(timeoutMs = 30_000): Promise<void> {
    this.service = startService('postgres', program('postgres'), [
      '-D', this.dataDir, '-c', `port=${this.port}`, '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${this.socketDir}`,
    ], { env: this.env });
    await waitFor('PostgreSQL to accept connections', () => this.isReady(), timeoutMs, this.service);
  }

  /** Fast shutdown (SIGINT), then removes the directory. */
  public async stop(): Promise<void> {
    await this.service.stop('SIGINT');
    this.dir.remove();
  }
}
