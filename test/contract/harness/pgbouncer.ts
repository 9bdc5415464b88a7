import * as path from 'path';
import { freePort } from './ports';
import { run, runUnchecked, Service, serviceTempDir, startService, waitFor, writeServiceFile } from './processes';
import { program } from './programs';

/** Where the test's PgBouncer listens and keeps its files; the ini under test must use them. */
export interface PgBouncerPlace {
  readonly port: number;
  readonly dir: string;
}

/** A real pgbouncer started from an ini and userlist rendered by the test, as the postgres user. */
export class PgBouncerProcess {
  public static async start(render: (place: PgBouncerPlace) => { ini: string; userlist: string }): Promise<PgBouncerProcess> {
    const dir = serviceTempDir('pgbouncer');
    const place = { port: await freePort(), dir: dir.path };
    const { ini, userlist } = render(place);
    writeServiceFile(path.join(dir.path, 'pgbouncer.ini'), ini);
    writeServiceFile(path.join(dir.path, 'userlist.txt'), userlist);
    const service = startService('pgbouncer', program('pgbouncer'), [path.join(dir.path, 'pgbouncer.ini')]);
    const bouncer = new PgBouncerProcess(place, dir, service);
    await waitFor('PgBouncer to listen', () => bouncer.isListening(), 15_000, service);
    return bouncer;
  }

  private constructor(public readonly place: PgBouncerPlace, private readonly dir: { remove: () => void }, private readonly service: Service) {}

  public get log(): string {
    return this.service.output;
  }

  public get pid(): number {
    return this.service.pid;
  }

  public get running(): boolean {
    return this.service.running;
  }

  private isListening(): boolean {
    return runUnchecked(program('pg_isready'), ['-h', '127.0.0.1', '-p', String(this.place.port), '-q'], { timeoutMs: 5_000 }).status === 0;
  }

  /**
   * Runs a command on the admin console (database "pgbouncer") and returns its rows as arrays of
   * columns (split on the ASCII unit separator, which no test value contains).
   */
  public admin(user: string, command: string, env: NodeJS.ProcessEnv = {}): string[][] {
    return adminConsole(this.place.port, user, command, env);
  }

  public async stop(): Promise<void> {
    await this.service.stop('SIGINT');
    this.dir.remove();
  }
}

/** Runs a command on the admin console of the PgBouncer listening on 127.0.0.1:`port` (see `admin`). */
export function adminConsole(port: number, user: string, command: string, env: NodeJS.ProcessEnv = {}): string[][] {
  const out = run(program('psql'), ['-X', '-A', '-t', '-q', '-F', '\x1f', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'pgbouncer', '-c', command], { env });
  return out.split('\n').filter((line) => line !== '').map((line) => line.split('\x1f'));
}

/** Whether something accepts PostgreSQL connections on 127.0.0.1:`port`. */
export function acceptsConnections(port: number): boolean {
  return runUnchecked(program('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { timeoutMs: 5_000 }).status === 0;
}
