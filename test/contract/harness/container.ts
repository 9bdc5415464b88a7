import { spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Bind } from './pod-layout';
import { Service } from './processes';
import { program } from './programs';

/**
 * One container of a synthesized pod, started the way a container runtime would: in a PID
 * namespace of its own (so its command is PID 1, which the preStop hooks rely on: `kill -INT 1`)
 * and a mount namespace with its volumes at their mount paths. It shares the host's network, as
 * the containers of one pod share theirs. The held PID is `unshare`'s, whose exit status is the
 * container's; `pid1` is the program's PID on the host.
 *
 * Mount paths must lie under `root` (e.g. /etc/pgbouncer): a tmpfs over it inside the namespace
 * makes the directories there without touching the host's.
 */
export class Container {
  public static start(name: string, root: string, binds: readonly Bind[], command: readonly string[], logDir: string): Container {
    for (const bind of binds) {
      if (!bind.at.startsWith(`${root}/`)) throw new Error(`mount path ${bind.at} is not under ${root}`);
    }
    const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const script = [
      'set -e',
      `mount -t tmpfs -o mode=0755 tmpfs ${q(root)}`,
      ...binds.flatMap((b) => [`mkdir -p ${q(b.at)}`, `mount --bind ${q(b.host)} ${q(b.at)}`]),
      `exec ${q(program('setpriv'))} --reuid=postgres --regid=postgres --init-groups "$@"`,
    ].join('\n');
    const logFile = path.join(logDir, `${name}-${Date.now()}.log`);
    const fd = fs.openSync(logFile, 'w');
    const child = spawn(program('unshare'), ['--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', '/bin/sh', '-c', script, 'container', ...command], {
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    return new Container(new Service(name, child, logFile));
  }

  private constructor(public readonly service: Service) {}

  /** The container's PID 1 as the host sees it (unshare's only child), once it exists. */
  public get pid1(): number | undefined {
    const file = `/proc/${this.service.pid}/task/${this.service.pid}/children`;
    const first = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split(/\s+/)[0] : '';
    return first ? Number(first) : undefined;
  }

  /** Runs a command inside the container's PID and mount namespaces as its user: an exec hook or probe. */
  public exec(command: readonly string[], timeoutMs = 60_000): SpawnSyncReturns<string> {
    const pid = this.pid1;
    if (pid === undefined) throw new Error(`${this.service.name} has no process`);
    return spawnSync(program('nsenter'), ['--target', String(pid), '--pid', '--mount', '--',
      program('setpriv'), '--reuid=postgres', '--regid=postgres', '--init-groups', ...command], { encoding: 'utf8', timeout: timeoutMs });
  }

  /**
   * Kills the container's PID 1 by its host PID (which takes the whole PID namespace with it),
   * then unshare. unshare's --kill-child alone is not enough: setpriv's change of user clears the
   * parent-death signal it sets, and the program outlived every stop (30 pgbouncers per run).
   */
  public async stop(): Promise<void> {
    const pid = this.pid1;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      // unshare reaps it and exits with its status; wait for that, 5 s at most.
      await Promise.race([this.service.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    await this.service.stop('SIGKILL', 5_000);
  }
}
