import { spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Service } from './processes';
import { program } from './programs';

/** A host directory seen by one container at `at`, as a volume mount puts it there. */
export interface Bind {
  readonly host: string;
  readonly at: string;
}

/** What a volume holds on the host when the pod starts: files for ConfigMaps and Secrets, nothing for the rest. */
export type VolumeSource = (volume: any) => Record<string, { content: string; mode?: number }> | undefined;

/**
 * Puts the volumes of a synthesized pod on this host the way a kubelet would: one host directory
 * per volume (shared by every container of the pod that mounts it, and by every pod that mounts
 * the same claim), and for each container the list of binds to its mount paths. The directories
 * live under /var/tmp, not /tmp, because a container may mount a volume at /tmp itself.
 */
export class PodLayout {
  public readonly root: string;
  private readonly volumes = new Map<string, string>();

  constructor(private readonly files: VolumeSource) {
    this.root = fs.mkdtempSync('/var/tmp/pgrel-pod-');
    chownToServiceUser(this.root);
  }

  /** The host directory of a volume of `pod` (a pod spec), created on first use. */
  public volumeDir(podName: string, pod: any, volumeName: string): string {
    const volume = (pod.volumes ?? []).find((v: any) => v.name === volumeName);
    if (!volume) throw new Error(`pod ${podName} mounts volume ${volumeName} that it does not declare`);
    // A claim is the same storage in every pod; anything else belongs to its pod.
    const key = volume.persistentVolumeClaim ? `claim-${volume.persistentVolumeClaim.claimName}` : `${podName}-${volumeName}`;
    let dir = this.volumes.get(key);
    if (!dir) {
      dir = path.join(this.root, key);
      fs.mkdirSync(dir, { mode: 0o700 });
      for (const [file, { content, mode }] of Object.entries(this.files(volume) ?? {})) {
        fs.writeFileSync(path.join(dir, file), content, { mode: mode ?? 0o600 });
        chownToServiceUser(path.join(dir, file));
      }
      chownToServiceUser(dir);
      this.volumes.set(key, dir);
    }
    return dir;
  }

  /** The binds of one container of `pod`, found by name among its containers and init containers. */
  public binds(podName: string, pod: any, containerName: string): Bind[] {
    const container = [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === containerName);
    if (!container) throw new Error(`pod ${podName} has no container ${containerName}`);
    return (container.volumeMounts ?? []).map((m: any) => ({ host: this.volumeDir(podName, pod, m.name), at: m.mountPath }));
  }

  /** A fresh directory owned by the service user, outside any volume. */
  public dir(name: string): string {
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir, { mode: 0o700 });
    chownToServiceUser(dir);
    return dir;
  }

  public remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

const started = new Set<Service>();

/**
 * Starts `command` as the service user in a mount namespace of its own in which every bind is
 * mounted at its container path: the program sees the pod's layout, the host keeps its own.
 * unshare, sh and setpriv all exec, so the PID held is the program's.
 */
export function startInMountNamespace(
  name: string, binds: readonly Bind[], command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; logDir: string },
): Service {
  const logFile = path.join(options.logDir, `${name}-${Date.now()}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(program('unshare'), ['--mount', '--propagation', 'private', '/bin/sh', '-c', mountScript(binds, options.logDir), 'pod', command, ...args], {
    env: { ...process.env, ...options.env }, stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const service = new Service(name, child, logFile);
  started.add(service);
  void service.exited.then(() => started.delete(service));
  return service;
}

/** Runs `command` to completion the same way (a Job's container). */
export function runInMountNamespace(
  binds: readonly Bind[], command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; scratch: string; timeoutMs?: number },
): SpawnSyncReturns<string> {
  return spawnSync(program('unshare'), ['--mount', '--propagation', 'private', '/bin/sh', '-c', mountScript(binds, options.scratch), 'pod', command, ...args], {
    encoding: 'utf8', env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000,
  });
}

/** Stops every program started here, by PID (call from afterAll). */
export async function stopNamespacedServices(): Promise<void> {
  await Promise.all([...started].map((s) => s.stop()));
}

process.on('exit', () => {
  for (const service of started) {
    try {
      process.kill(service.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * The shell run as root inside the new namespace. A mount path whose parent does not exist on the
 * host (/etc/pgbackrest) is made inside an overlay of its nearest existing ancestor, whose writes
 * go to a tmpfs of this namespace: the host's directories are never changed.
 */
function mountScript(binds: readonly Bind[], scratchParent: string): string {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const sorted = [...binds].sort((a, b) => a.at.length - b.at.length);
  const overlays = new Set<string>();
  for (const bind of sorted) {
    let ancestor = bind.at;
    while (!fs.existsSync(ancestor)) ancestor = path.dirname(ancestor);
    if (ancestor !== bind.at && ![...overlays].some((o) => ancestor === o || ancestor.startsWith(`${o}/`))) overlays.add(ancestor);
  }
  const submounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter(Boolean);
  for (const o of overlays) {
    const hidden = submounts.filter((m) => m.startsWith(`${o}/`));
    if (hidden.length > 0) throw new Error(`cannot overlay ${o}: it would hide the mounts ${hidden.join(', ')}`);
  }
  const scratch = fs.mkdtempSync(path.join(scratchParent, 'ns-'));
  const lines = ['set -e', `mount -t tmpfs tmpfs ${q(scratch)}`];
  [...overlays].forEach((o, i) => {
    lines.push(`mkdir ${q(`${scratch}/u${i}`)} ${q(`${scratch}/w${i}`)}`);
    lines.push(`mount -t overlay overlay -o ${q(`lowerdir=${o},upperdir=${scratch}/u${i},workdir=${scratch}/w${i}`)} ${q(o)}`);
  });
  for (const bind of sorted) lines.push(`mkdir -p ${q(bind.at)}`, `mount --bind ${q(bind.host)} ${q(bind.at)}`);
  lines.push(`exec ${q(program('setpriv'))} --reuid=postgres --regid=postgres --init-groups "$@"`);
  return lines.join('\n');
}

function chownToServiceUser(target: string): void {
  const result = spawnSync('/bin/chown', ['postgres:postgres', target], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`chown postgres ${target} failed: ${result.stderr}`);
}
