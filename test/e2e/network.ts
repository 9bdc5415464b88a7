import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Every name this harness gives a netns, link or directory starts with it, so leftovers can be found. */
export const PREFIX = 'pge2e';
const STATE_ROOT = '/var/tmp';

function ip(...args: string[]): void {
  execFileSync('/usr/sbin/ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

function ipQuiet(...args: string[]): boolean {
  return spawnSync('/usr/sbin/ip', args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * The pods' network: a bridge on the host with an address in a private /24 no host interface
 * uses, and per pod a network namespace joined to the bridge by a veth pair. Pods get no default
 * route and the host forwards nothing, so traffic stays between these namespaces and the host's
 * bridge address (where test peers such as a webhook receiver listen).
 */
export class PodNetwork {
  /** Removes what a killed run left behind (its owner PID is gone). */
  public static cleanupLeftovers(): string[] {
    const removed: string[] = [];
    for (const entry of fs.readdirSync(STATE_ROOT).filter((e) => e.startsWith(`${PREFIX}-`))) {
      const dir = path.join(STATE_ROOT, entry);
      const pidFile = path.join(dir, 'owner.pid');
      const owner = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : NaN;
      if (Number.isFinite(owner) && isAlive(owner)) continue;
      const id = entry.slice(PREFIX.length + 1);
      removeById(id);
      removeCreatedRoots(dir);
      spawnSync('/bin/sh', ['-c', `grep " ${dir}" /proc/self/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l`], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
    return removed;
  }

  /** Creates the run's state directory (owner.pid marks it live) and the bridge. */
  public static create(): PodNetwork {
    PodNetwork.cleanupLeftovers();
    const id = Math.random().toString(16).slice(2, 6);
    const stateDir = path.join(STATE_ROOT, `${PREFIX}-${id}`);
    fs.mkdirSync(stateDir, { mode: 0o755 });
    fs.writeFileSync(path.join(stateDir, 'owner.pid'), String(process.pid));
    const used = spawnSync('/usr/sbin/ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }).stdout ?? '';
    let third = 0;
    for (let tries = 0; tries < 50 && (third === 0 || used.includes(`10.213.${third}.`)); tries++) third = 1 + Math.floor(Math.random() * 250);
    const network = new PodNetwork(id, stateDir, `10.213.${third}`);
    try {
      ip('link', 'add', network.bridge, 'type', 'bridge');
      ip('addr', 'add', `${network.subnet}.1/24`, 'dev', network.bridge);
      ip('link', 'set', network.bridge, 'up');
    } catch (e) {
      network.remove();
      throw e;
    }
    return network;
  }

  private nextHost = 2;
  private readonly namespaces = new Set<string>();

  private constructor(public readonly id: string, public readonly stateDir: string, private readonly subnet: string) {}

  private get bridge(): string {
    return `${PREFIX}${this.id}br`;
  }

  /** The host's address on the bridge: pods reach the host's test peers there. */
  public get hostAddress(): string {
    return `${this.subnet}.1`;
  }

  /** A network namespace for a pod, with loopback up and eth0 on the bridge; returns its name and address. */
  public addPod(): { netns: string; ip: string } {
    const n = this.nextHost++;
    if (n > 254) throw new Error('more than 253 pods: the pod network is a /24');
    const netns = `${PREFIX}-${this.id}-${n}`;
    const hostSide = `${PREFIX}${this.id}v${n}`;
    const address = `${this.subnet}.${n}`;
    ip('netns', 'add', netns);
    this.namespaces.add(netns);
    ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', `${hostSide}p`);
    ip('link', 'set', `${hostSide}p`, 'netns', netns);
    ip('-n', netns, 'link', 'set', `${hostSide}p`, 'name', 'eth0');
    ip('link', 'set', hostSide, 'master', this.bridge);
    ip('link', 'set', hostSide, 'up');
    ip('-n', netns, 'link', 'set', 'lo', 'up');
    ip('-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    ip('-n', netns, 'link', 'set', 'eth0', 'up');
    return { netns, ip: address };
  }

  /** Deletes a pod's namespace (its veth goes with it). */
  public removePod(netns: string): void {
    if (this.namespaces.delete(netns)) ipQuiet('netns', 'del', netns);
  }

  /**
   * Makes a missing mount point on the host when a container's namespace cannot make it itself:
   * under / (nothing can overlay / itself) or under a directory holding other mounts (an overlay of
   * /run would hide /run/netns). It stays empty (the mounts happen in the pods' namespaces) and is
   * removed with the run; every other missing path is made inside an overlay in the container.
   */
  public ensureMountPoint(at: string): void {
    if (fs.existsSync(at)) return;
    let ancestor = path.dirname(at);
    while (!fs.existsSync(ancestor)) ancestor = path.dirname(ancestor);
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter(Boolean);
    if (ancestor !== '/' && !mounts.some((m) => m.startsWith(`${ancestor}/`))) return;
    const first = path.join(ancestor, at.slice(ancestor.length).split('/').filter(Boolean)[0]);
    fs.mkdirSync(at, { recursive: true, mode: 0o755 });
    fs.appendFileSync(path.join(this.stateDir, 'created-roots'), `${first}\n`);
  }

  /** Deletes every namespace and link of this run, and its state directory. */
  public remove(): void {
    for (const netns of [...this.namespaces]) this.removePod(netns);
    removeById(this.id);
    removeCreatedRoots(this.stateDir);
    fs.rmSync(this.stateDir, { recursive: true, force: true });
    releaseNetnsMount();
  }
}

/**
 * `ip netns add` mounts /run/netns onto itself; with no namespace left, undo it, so the host is as
 * the run found it (a mount under /run keeps the contract tests from overlaying /run).
 */
function releaseNetnsMount(): void {
  const left = (spawnSync('/usr/sbin/ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').trim();
  const mounted = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === '/run/netns');
  if (left === '' && mounted) spawnSync('/usr/bin/umount', ['/run/netns'], { stdio: 'ignore' });
}

function removeById(id: string): void {
  const netns = spawnSync('/usr/sbin/ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const name of netns.split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(`${PREFIX}-${id}-`))) ipQuiet('netns', 'del', name);
  const links = spawnSync('/usr/sbin/ip', ['-o', 'link'], { encoding: 'utf8' }).stdout ?? '';
  for (const name of links.split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter((n) => n?.startsWith(`${PREFIX}${id}`))) {
    ipQuiet('link', 'del', name!);
  }
}

function removeCreatedRoots(stateDir: string): void {
  const file = path.join(stateDir, 'created-roots');
  if (!fs.existsSync(file)) return;
  for (const dir of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) removeEmptyTree(dir);
}

/** Removes a tree of empty directories; anything holding a file (someone else's) stays. */
function removeEmptyTree(dir: string): void {
  try {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeEmptyTree(path.join(dir, entry.name));
    fs.rmdirSync(dir);
  } catch {
    // not empty or gone: leave it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
