import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { program } from './programs';

/**
 * PostgreSQL refuses to run as root, so when the tests run as root (CI) every program is started
 * as the `postgres` user through setpriv, which execs: the PID we hold is the real program's.
 */
function asServiceUser(command: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, [...args]];
  return [program('setpriv'), ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]];
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** @default 60 seconds */
  readonly timeoutMs?: number;
  readonly input?: string;
}

/** Runs a command to completion as the service user; fails with its output when it fails. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): string {
  const result = runUnchecked(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** Runs a command to completion and returns its status and output, whatever they are. */
export function runUnchecked(command: string, args: readonly string[], options: RunOptions = {}): SpawnSyncReturns<string> {
  const [cmd, argv] = asServiceUser(command, args);
  return spawnSync(cmd, argv, {
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    cwd: options.cwd ?? os.tmpdir(),
    timeout: options.timeoutMs ?? 60_000,
    input: options.input,
  });
}

/**
 * A long-running program started by a test. Its output goes to a log file, not a pipe: while a
 * test blocks in spawnSync nobody reads a pipe, and a chatty server (PgBouncer logging 1000
 * connections) would stall on a full one.
 */
export class Service {
  public exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(public readonly name: string, private readonly child: ChildProcess, private readonly logFile: string) {
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
      resolve(this.exitCode);
    }));
  }

  /** Everything the program wrote to stdout and stderr so far. */
  public get output(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  public get pid(): number {
    return this.child.pid!;
  }

  public get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Sends `signal`, waits for the exit, and kills it if it has not gone within `graceMs`. */
  public async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    process.kill(this.pid, signal);
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout' && this.running) {
      process.kill(this.pid, 'SIGKILL');
      await this.exited;
    }
  }
}

const started = new Set<Service>();

/** Starts a long-running program as the service user and registers its PID for cleanup. */
export function startService(name: string, command: string, args: readonly string[], options: RunOptions = {}): Service {
  const [cmd, argv] = asServiceUser(command, args);
  const logFile = path.join(logDir(), `${name}-${++serviceCount}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(cmd, argv, { env: { ...process.env, ...options.env }, cwd: options.cwd ?? os.tmpdir(), stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const service = new Service(name, child, logFile);
  started.add(service);
  void service.exited.then(() => started.delete(service));
  return service;
}

const tempDirs = new Set<string>();
let serviceCount = 0;
let logs: string | undefined;

/** One directory of service logs per test process, removed with the other temporary directories. */
function logDir(): string {
  if (!logs) {
    logs = fs.mkdtempSync(path.join(os.tmpdir(), 'pgrel-logs-'));
    tempDirs.add(logs);
  }
  return logs;
}

/**
 * Stops every program still running and removes every temporary directory (call from afterAll;
 * a failed start leaves both behind otherwise). Programs are also killed on process exit.
 */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...started].map((s) => s.stop()));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  logs = undefined;
}

// Last resort when a test run is torn down without afterAll: no program may outlive it.
process.on('exit', () => {
  for (const service of started) {
    try {
      process.kill(service.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Polls `check` until it returns true, failing after `timeoutMs` with `what` and the service output. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000, service?: Service): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    if (service && !service.running) throw new Error(`${service.name} exited while waiting for ${what}:\n${service.output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${service ? `:\n${service.output}` : ''}`);
}

/** A fresh directory owned by the service user, removed by `remove()`. */
export function serviceTempDir(prefix: string): { path: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pgrel-${prefix}-`));
  chownToServiceUser(dir);
  tempDirs.add(dir);
  return {
    path: dir,
    remove: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
}

/** Writes a file into a service-owned directory, owned by the service user. */
export function writeServiceFile(file: string, content: string, mode = 0o600): void {
  fs.writeFileSync(file, content, { mode });
  chownToServiceUser(file);
}

/** Makes `target` root's, group the service user's (as a Secret volume with fsGroup is), when running as root. */
export function chgrpToServiceGroup(target: string): void {
  if (process.getuid?.() !== 0) return;
  const result = spawnSync('/bin/chown', ['root:postgres', target], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`chown root:postgres ${target} failed: ${result.stderr}`);
}

/** Gives `target` to the service user (postgres) when running as root, as its programs run as that user. */
export function chownToServiceUser(target: string): void {
  if (process.getuid?.() !== 0) return;
  const result = spawnSync('/bin/chown', ['postgres:postgres', target], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`chown postgres ${target} failed: ${result.stderr}`);
}
