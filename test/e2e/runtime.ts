import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A host path seen by a container at `at` (a directory, or a file bound over a file). */
export interface Bind {
  readonly host: string;
  readonly at: string;
  readonly readOnly?: boolean;
}

/** Everything needed to start one container process. */
export interface ContainerLaunch {
  /** `pod/container`, for messages. */
  readonly label: string;
  readonly netns: string;
  readonly hostname: string;
  readonly binds: readonly Bind[];
  readonly readOnlyRoot: boolean;
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly logFile: string;
  /** A directory of the run for this container's mount scratch (tmpfs mount point). */
  readonly scratch: string;
}

export interface ExecResult {
  readonly status: number | null;
  readonly output: string;
}

const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** setpriv arguments that make a process run as the container's user, group and supplementary groups. */
function identity(launch: ContainerLaunch): string[] {
  const groups = [...new Set(launch.groups)];
  return [`--reuid=${launch.uid}`, `--regid=${launch.gid}`, ...(groups.length ? [`--groups=${groups.join(',')}`] : ['--clear-groups'])];
}

/**
 * The shell run as root in the container's new mount namespace before it becomes the program. A
 * mount path whose parent does not exist on the host (/etc/pgbouncer) is made inside an overlay
 * of its nearest existing ancestor whose writes go to a tmpfs of this namespace: the host's
 * directories are never changed. readOnlyRootFilesystem remounts / read-only in the namespace.
 */
function mountScript(launch: ContainerLaunch): string {
  const sorted = [...launch.binds].sort((a, b) => a.at.length - b.at.length);
  const needed = new Set<string>();
  for (const bind of sorted) {
    if (fs.existsSync(bind.at)) continue;
    let ancestor = path.dirname(bind.at);
    while (!fs.existsSync(ancestor)) ancestor = path.dirname(ancestor);
    needed.add(ancestor);
  }
  const overlays = [...needed].sort((a, b) => a.length - b.length).filter((o, i, all) => !all.slice(0, i).some((p) => o.startsWith(`${p}/`)));
  const submounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter(Boolean);
  for (const o of overlays) {
    if (o === '/') throw new Error(`${launch.label}: cannot create mount path under / here; mount paths must have an existing parent directory`);
    const hidden = submounts.filter((m) => m.startsWith(`${o}/`));
    if (hidden.length > 0) throw new Error(`${launch.label}: cannot overlay ${o}: it would hide the mounts ${hidden.join(', ')}`);
  }
  const lines = ['set -e', `/bin/mount -t tmpfs tmpfs ${q(launch.scratch)}`];
  overlays.forEach((o, i) => {
    lines.push(`/bin/mkdir ${q(`${launch.scratch}/u${i}`)} ${q(`${launch.scratch}/w${i}`)}`);
    lines.push(`/bin/mount -t overlay overlay -o ${q(`lowerdir=${o},upperdir=${launch.scratch}/u${i},workdir=${launch.scratch}/w${i}`)} ${q(o)}`);
  });
  for (const bind of sorted) {
    if (fs.statSync(bind.host).isDirectory()) lines.push(`/bin/mkdir -p ${q(bind.at)}`);
    else lines.push(`[ -e ${q(bind.at)} ] || { /bin/mkdir -p ${q(path.dirname(bind.at))}; : > ${q(bind.at)}; }`);
    lines.push(`/bin/mount --bind ${q(bind.host)} ${q(bind.at)}`);
    if (bind.readOnly) lines.push(`/bin/mount -o remount,bind,ro ${q(bind.at)}`);
  }
  lines.push(`/bin/hostname ${q(launch.hostname)}`);
  if (launch.readOnlyRoot) lines.push('/bin/mount -o remount,bind,ro /');
  lines.push(`cd ${q(launch.workingDir ?? '/')}`);
  lines.push(`exec /usr/bin/setpriv ${identity(launch).join(' ')} -- "$@"`);
  return lines.join('\n');
}

/**
 * One container process: PID 1 of its own PID namespace (preStop hooks such as `kill -INT 1` rely
 * on it), its own mount and UTS namespaces, inside its pod's network namespace. The held PID is
 * unshare's (it exits with the container); `pid1` is the program's PID on the host.
 */
export class ContainerProcess {
  public static start(launch: ContainerLaunch): ContainerProcess {
    fs.mkdirSync(launch.scratch, { recursive: true });
    const script = mountScript(launch);
    const fd = fs.openSync(launch.logFile, 'a');
    const offset = fs.fstatSync(fd).size;
    const child = spawn('/usr/bin/nsenter', [`--net=/run/netns/${launch.netns}`, '--',
      '/usr/bin/unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--uts', '--mount', '--propagation', 'private',
      '/bin/sh', '-c', script, 'container', ...launch.argv], { env: { ...launch.env }, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    return new ContainerProcess(launch, child.pid!, offset, new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1)))));
  }

  public exitCode: number | undefined;
  public readonly startedAt = Date.now();

  private constructor(public readonly launch: ContainerLaunch, public readonly pid: number, private readonly logOffset: number,
    public readonly exited: Promise<number>) {
    void exited.then((code) => (this.exitCode = code));
  }

  public get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The output of this run of the container. */
  public get output(): string {
    if (!fs.existsSync(this.launch.logFile)) return '';
    return fs.readFileSync(this.launch.logFile).subarray(this.logOffset).toString('utf8');
  }

  /** The last non-empty lines of this run's output, joined: what a failure message quotes. */
  public lastLines(n = 2): string {
    return this.output.split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' | ');
  }

  /** The program's PID on the host (unshare's only child), once it exists. */
  public get pid1(): number | undefined {
    const file = `/proc/${this.pid}/task/${this.pid}/children`;
    try {
      const first = fs.readFileSync(file, 'utf8').trim().split(/\s+/)[0];
      return first ? Number(first) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Runs a command in the container (its namespaces, user and env), as `kubectl exec` or an exec probe/hook does. */
  public exec(argv: readonly string[], timeoutMs: number, env: Readonly<Record<string, string>> = {}): Promise<ExecResult> {
    const pid = this.pid1;
    if (pid === undefined || !this.running) return Promise.resolve({ status: null, output: `container ${this.launch.label} is not running` });
    const child = spawn('/usr/bin/nsenter', ['--target', String(pid), '--net', '--pid', '--mount', '--uts', `--wd=${this.launch.workingDir ?? '/'}`, '--',
      '/usr/bin/setpriv', ...identity(this.launch), '--', ...argv], { env: { ...this.launch.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        output += `\n(timed out after ${timeoutMs} ms)`;
      }, timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ status: code, output });
      });
    });
  }

  /** Sends a signal to the program (PID 1 of the container: it ignores signals it has no handler for, as in a real container). */
  public signal(signal: NodeJS.Signals): void {
    const pid = this.pid1;
    if (pid !== undefined && this.running) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
    }
  }

  /** Kills the container (unshare --kill-child takes PID 1 and with it the whole PID namespace). */
  public async kill(): Promise<void> {
    if (!this.running) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.signal('SIGKILL');
    await this.exited;
  }
}
