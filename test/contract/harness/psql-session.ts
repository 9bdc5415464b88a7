import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import { PostgresServer } from './postgres';
import { program } from './programs';

/**
 * An interactive psql session on a PostgreSQL server, kept open between commands (over TCP on 127.0.0.1: the test runs as any user), so a test can
 * hold a transaction (and its locks) while other sessions act. Commands are synchronised with
 * `\echo` markers; errors are collected, never fatal (ON_ERROR_STOP off).
 */
export class PsqlSession {
  /** Opens a session on `database` with `application_name` set to `name` (for pg_stat_activity). */
  public static async open(server: PostgresServer, database: string, name: string, env: NodeJS.ProcessEnv = {}): Promise<PsqlSession> {
    const child = spawn(program('psql'), ['-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-d', database], {
      env: { ...process.env, PGAPPNAME: name, ...env },
    });
    const session = new PsqlSession(child);
    session.pid = Number(await session.send('SELECT pg_backend_pid();'));
    return session;
  }

  /** The server process of this session (pg_locks.pid). */
  public pid = 0;
  private stdout = '';
  private stderr = '';
  private marks = 0;
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (d: string) => { this.stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { this.stderr += d; });
    child.on('exit', () => { this.exited = true; });
  }

  /** Everything psql wrote to stderr (errors, NOTICE/DEBUG messages) since the last `takeErrors()`. */
  public takeErrors(): string {
    const errors = this.stderr;
    this.stderr = '';
    return errors;
  }

  /** Sends SQL and waits (up to `timeoutMs`) until psql has run it; returns its output. */
  public async send(sql: string, timeoutMs = 30_000): Promise<string> {
    const mark = `__done_${++this.marks}__`;
    const start = this.stdout.length;
    this.child.stdin.write(`${sql}\n\\echo ${mark}\n`);
    const deadline = Date.now() + timeoutMs;
    while (!this.stdout.includes(mark, start)) {
      if (this.exited) throw new Error(`psql exited while running ${sql}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`psql did not finish within ${timeoutMs} ms: ${sql}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const output = this.stdout.slice(start, this.stdout.indexOf(mark, start));
    return output.trim();
  }

  /** Sends SQL without waiting for it (it may block on a lock). */
  public start(sql: string): void {
    this.child.stdin.write(`${sql}\n`);
  }

  /** Ends psql (the server rolls back an open transaction) and waits for it to exit. */
  public async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise((r) => this.child.on('exit', r));
    this.child.stdin.end('\\q\n');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise((r) => { timer = setTimeout(r, 5_000); })]);
    clearTimeout(timer);
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
