import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findImage, ImageSpec } from './images';
import { Workload } from './manifests';
import { ConfigError, containerEnv, expand, PodIdentity, Sources, volumeFiles, writeVolumeFiles } from './pod-spec';
import { probe, ProbeResult } from './probes';
import { Bind, ContainerProcess, ExecResult } from './runtime';

/** What the cluster lends a pod. */
export interface PodHost {
  readonly sources: Sources;
  readonly images: readonly ImageSpec[];
  readonly hostAddress: string;
  /** A PEM file every container trusts as its image's CA bundle (see ClusterOptions.caBundle). */
  readonly caBundle?: string;
  addNetwork(): { netns: string; ip: string };
  /** Makes a missing mount point on the host where no overlay can (removed with the run). */
  ensureMountPoint(at: string): void;
  removeNetwork(netns: string): void;
  /** The host directory of a claim (outlives pods; shared by every pod that mounts it). */
  claimDir(namespace: string, claim: string): string;
  /** The pod's /etc/hosts, as it should read now. */
  hostsFile(pod: Pod): string;
  /** What the manifests' RBAC lets a ServiceAccount do with the API (see rbac.ts), if anything. */
  apiAccessOf(namespace: string, serviceAccount: string): string | undefined;
  readinessChanged(pod: Pod): void;
  log(line: string): void;
}

/** Where Debian-based images keep the CA bundle OpenSSL's default paths lead to (/usr/lib/ssl/cert.pem links here). */
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

type Role = 'init' | 'sidecar' | 'main';

/** A container of the pod as resolved at start: what to run, or why it cannot run here. */
interface Resolved {
  readonly name: string;
  readonly role: Role;
  readonly spec: any;
  readonly image?: ImageSpec;
  readonly unrunnable?: string;
  readonly needsApiServer?: string;
}

/** State of one container across restarts. */
interface Slot {
  readonly resolved: Resolved;
  process?: ContainerProcess;
  restarts: number;
  started: boolean;
  ready: boolean;
  lastProbe?: ProbeResult;
  /** Each run that ended while the pod was not stopping, with its status and last lines. */
  readonly exits: { code: number; lines: string }[];
}

/** A pause that does not keep the process alive on its own. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * One pod: processes in their own mount, PID and UTS namespaces in a network namespace of the pod,
 * volumes at their mount paths, env as the kubelet builds it, init containers in order, native
 * sidecars before and after the main containers, probes deciding readiness, preStop on shutdown.
 */
export class Pod {
  public readonly problems: string[] = [];
  public readonly unrunnable: string[] = [];
  public readonly needsApiServer: string[] = [];
  public readonly notes: string[] = [];
  public identity!: PodIdentity;
  public netns?: string;
  public terminating = false;
  public readyAt?: number;
  public finished = false;
  /** How long an init container may run (the Job's or the readiness budget). */
  public initTimeoutMs = 300_000;
  private readonly slots = new Map<string, Slot>();
  private readonly dir: string;
  private readonly volumeDirs = new Map<string, string>();
  private probing = false;
  private readonly createdAt = Date.now();

  constructor(public readonly workload: Workload, public readonly name: string, private readonly host: PodHost, stateDir: string) {
    this.dir = path.join(stateDir, 'pods', name);
  }

  public get spec(): any {
    return this.workload.template.spec;
  }

  public get labels(): Record<string, string> {
    return this.workload.template.metadata?.labels ?? {};
  }

  public get ip(): string {
    return this.identity?.ip ?? '';
  }

  /** Ready as Kubernetes counts it: running, not terminating, every main and sidecar container ready. */
  public get ready(): boolean {
    if (this.terminating || this.finished || !this.netns) return false;
    const longRunning = [...this.slots.values()].filter((s) => s.resolved.role !== 'init' && !s.resolved.unrunnable);
    return longRunning.length > 0 && longRunning.every((s) => s.ready);
  }

  public container(name: string): ContainerProcess | undefined {
    return this.slots.get(name)?.process;
  }

  /** The containers of the pod that this harness cannot run (and will not pretend to). */
  public get skipped(): string[] {
    return [...this.unrunnable, ...this.needsApiServer];
  }

  /** Creates the pod's network, volumes and files, then runs init containers and starts the others. */
  public async start(): Promise<void> {
    fs.mkdirSync(path.join(this.dir, 'volumes'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'logs'), { recursive: true });
    const net = this.host.addNetwork();
    this.netns = net.netns;
    this.identity = {
      name: this.name,
      namespace: this.workload.namespace,
      ip: net.ip,
      hostIp: this.host.hostAddress,
      labels: this.labels,
      annotations: this.workload.template.metadata?.annotations ?? {},
      serviceAccountName: this.spec.serviceAccountName ?? 'default',
    };
    fs.writeFileSync(this.hostsPath, this.host.hostsFile(this), { mode: 0o644 });
    const resolved = this.resolveContainers();
    for (const r of resolved) this.slots.set(r.name, { resolved: r, restarts: 0, started: false, ready: false, exits: [] });
    for (const r of resolved) {
      if (r.unrunnable) this.unrunnable.push(`container ${r.name}: ${r.unrunnable}`);
      if (r.needsApiServer) this.needsApiServer.push(`container ${r.name}: ${r.needsApiServer}`);
    }
    // A Job whose work cannot run here is not run at all: its result would mean nothing.
    if (this.workload.runToCompletion && this.skipped.length > 0) return;
    try {
      for (const r of resolved.filter((c) => c.role !== 'main')) {
        if (r.unrunnable || r.needsApiServer) continue;
        if (r.role === 'sidecar') {
          this.startSlot(this.slots.get(r.name)!);
          this.runProbes();
          await this.waitStartup(this.slots.get(r.name)!);
        } else if (!(await this.runInit(this.slots.get(r.name)!))) {
          return;
        }
      }
      for (const r of resolved.filter((c) => c.role === 'main' && !c.unrunnable && !c.needsApiServer)) this.startSlot(this.slots.get(r.name)!);
      this.runProbes();
    } catch (e) {
      // Whatever stops a container from starting is this pod's failure, reported, not the run's.
      this.problems.push(`pod ${this.name}: ${(e as Error).message}`);
    }
  }

  private get hostsPath(): string {
    return path.join(this.dir, 'hosts');
  }

  /** Rewrites /etc/hosts in place (the bind mount follows the inode) when Services' endpoints change. */
  public refreshHosts(): void {
    if (fs.existsSync(this.hostsPath)) fs.writeFileSync(this.hostsPath, this.host.hostsFile(this));
  }

  private resolveContainers(): Resolved[] {
    // A pod whose account the manifests grant API verbs uses them (Patroni's Kubernetes DCS,
    // operators, controllers): without an API server it would fail for that reason alone.
    const account = this.spec.serviceAccountName ?? this.spec.serviceAccount;
    const access = account && this.spec.automountServiceAccountToken !== false ? this.host.apiAccessOf(this.workload.namespace, account) : undefined;
    const list: Resolved[] = [
      ...(this.spec.initContainers ?? []).map((c: any) => ({ c, role: (c.restartPolicy === 'Always' ? 'sidecar' : 'init') as Role })),
      ...(this.spec.containers ?? []).map((c: any) => ({ c, role: 'main' as Role })),
    ].map(({ c, role }) => {
      const image = findImage(c.image, this.host.images);
      const base = { name: c.name, role, spec: c, image };
      if (access) return { ...base, needsApiServer: `needs an API server (ServiceAccount ${account} is granted ${access})` };
      if (!image) return { ...base, unrunnable: `cannot run image ${c.image} here (not in the image table; add it with --images)` };
      if (image.needsApiServer) return { ...base, needsApiServer: `needs an API server (image ${c.image}: ${image.needsApiServer})` };
      if (image.cannotRun) return { ...base, unrunnable: `cannot run image ${c.image} here: ${image.cannotRun}` };
      if (!c.command && image.entrypointCannotRun) {
        const why = `image ${c.image} without a command: ${image.entrypointCannotRun}`;
        return /API server/.test(why) ? { ...base, needsApiServer: why } : { ...base, unrunnable: `cannot run ${why}` };
      }
      if (/\bkubectl\b/.test([...(c.command ?? []), ...(c.args ?? [])].join(' '))) {
        return { ...base, needsApiServer: 'needs an API server (its command runs kubectl)' };
      }
      return base;
    });
    for (const v of this.spec.volumes ?? []) {
      if (v.hostPath || v.csi || v.ephemeral || v.nfs) this.unrunnable.push(`volume ${v.name}: ${Object.keys(v).find((k) => k !== 'name')} volumes are not emulated`);
    }
    return list;
  }

  private securityOf(c: any): { uid: number; gid: number; groups: number[] } {
    const podSc = this.spec.securityContext ?? {};
    const sc = c.securityContext ?? {};
    const image = this.slots.get(c.name)?.resolved.image;
    const uid: number = sc.runAsUser ?? podSc.runAsUser ?? image?.user ?? 0;
    const fromImage = image?.users?.find((u) => u.uid === uid)?.gid ?? (uid === (image?.user ?? 0) ? image?.group : undefined);
    const gid: number = sc.runAsGroup ?? podSc.runAsGroup ?? fromImage ?? 0;
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) && uid === 0) {
      throw new ConfigError(`container ${c.name}: container has runAsNonRoot and image will run as root (CreateContainerConfigError)`);
    }
    const groups = [...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : []), ...(podSc.supplementalGroups ?? [])];
    return { uid, gid, groups };
  }

  /** The host directory of a volume, made and filled on first use. */
  private volumeDir(volumeName: string): string {
    const existing = this.volumeDirs.get(volumeName);
    if (existing) return existing;
    const fsGroup: number | undefined = this.spec.securityContext?.fsGroup;
    const volume = (this.spec.volumes ?? []).find((v: any) => v.name === volumeName);
    let dir: string;
    const claimTemplate = this.workload.statefulSet?.claimTemplates.includes(volumeName);
    if (!volume && !claimTemplate) throw new ConfigError(`a container mounts volume ${volumeName}, which the pod does not declare`);
    if (claimTemplate || volume.persistentVolumeClaim) {
      const claim = claimTemplate ? `${volumeName}-${this.name}` : volume.persistentVolumeClaim.claimName;
      dir = this.host.claimDir(this.workload.namespace, claim);
      if (fsGroup !== undefined) spawnSync('/bin/sh', ['-c', `chgrp -R ${fsGroup} "$1" && chmod -R g+rwX "$1" && find "$1" -type d -exec chmod g+s {} +`, 'sh', dir]);
    } else {
      dir = path.join(this.dir, 'volumes', volumeName);
      fs.mkdirSync(dir);
      const files = volumeFiles(volume, this.identity, this.host.sources);
      if (files) {writeVolumeFiles(dir, files, fsGroup);} else {
        fs.chownSync(dir, 0, fsGroup ?? 0);
        fs.chmodSync(dir, fsGroup === undefined ? 0o777 : 0o2777);
      }
    }
    this.volumeDirs.set(volumeName, dir);
    return dir;
  }

  private binds(slot: Slot, uid: number, gid: number): Bind[] {
    const c = slot.resolved.spec;
    const image = slot.resolved.image!;
    const mounted: Bind[] = (c.volumeMounts ?? []).map((m: any) => {
      let host = this.volumeDir(m.name);
      if (m.subPath) {
        host = path.join(host, m.subPath);
        if (!fs.existsSync(host)) fs.mkdirSync(host, { recursive: true });
      }
      this.host.ensureMountPoint(m.mountPath);
      return { host, at: m.mountPath, readOnly: m.readOnly === true };
    });
    const scratch = path.join(this.dir, 'layer', c.name);
    const ro = c.securityContext?.readOnlyRootFilesystem === true;
    const layer = (at: string, uidOwner: number, gidOwner: number, mode: number): Bind => {
      const host = path.join(scratch, at.replace(/\//g, '_'));
      fs.mkdirSync(host, { recursive: true });
      fs.chownSync(host, uidOwner, gidOwner);
      fs.chmodSync(host, mode);
      return { host, at, readOnly: ro };
    };
    // The image's own writable directories and /tmp, fresh per container unless a volume covers them
    // (a volume at /tmp hides the image's /tmp/pgbackrest too, as in a real container).
    const own = [...(image.dirs ?? []), { path: '/tmp', uid: 0, gid: 0, mode: 0o1777 }]
      .filter((d) => !mounted.some((m) => m.at === d.path || d.path.startsWith(`${m.at.replace(/\/$/, '')}/`)))
      .map((d) => layer(d.path, d.uid, d.gid, d.mode));
    const files = path.join(this.dir, 'etc', c.name);
    fs.mkdirSync(files, { recursive: true });
    const empty = (image.emptyFiles ?? []).filter((f) => fs.existsSync(f) && !mounted.some((m) => f === m.at || f.startsWith(`${m.at}/`))).map((at) => {
      const host = path.join(files, `empty${at.replace(/\//g, '_')}`);
      fs.writeFileSync(host, '', { mode: 0o644 });
      return { host, at, readOnly: true };
    });
    // The image's CA bundle, when the test's peers present certificates of their own CA (the S3
    // peer); a copy in the pod's state, as the caller's file may sit below a directory the pod overlays.
    const trust: Bind[] = [];
    if (this.host.caBundle && !mounted.some((m) => CA_BUNDLE.startsWith(`${m.at.replace(/\/$/, '')}/`))) {
      const host = path.join(files, 'ca-certificates.crt');
      fs.copyFileSync(this.host.caBundle, host);
      fs.chmodSync(host, 0o644);
      trust.push({ host, at: CA_BUNDLE, readOnly: true });
    }
    const users = [{ name: 'root', uid: 0, gid: 0, home: '/root' }, ...(image.users ?? []), { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' }];
    fs.writeFileSync(path.join(files, 'passwd'), users.map((u) => `${u.name}:x:${u.uid}:${u.gid}::${u.home}:/bin/sh\n`).join(''), { mode: 0o644 });
    fs.writeFileSync(path.join(files, 'group'), users.map((u) => `${u.name}:x:${u.gid}:\n`).join(''), { mode: 0o644 });
    const bin = path.join(files, 'bin');
    fs.rmSync(bin, { recursive: true, force: true });
    fs.mkdirSync(bin, { recursive: true });
    for (const [name, target] of Object.entries(image.programs)) {
      // Entry point scripts of this harness are copied: the container's user may not reach the repository.
      if (target.includes('/test/e2e/entrypoints/')) fs.copyFileSync(target, path.join(bin, name));
      else fs.symlinkSync(target, path.join(bin, name));
    }
    fs.chmodSync(bin, 0o755);
    for (const f of fs.readdirSync(bin)) if (!fs.lstatSync(path.join(bin, f)).isSymbolicLink()) fs.chmodSync(path.join(bin, f), 0o755);
    void uid;
    void gid;
    return [
      ...mounted, ...own, ...empty, ...trust,
      { host: this.hostsPath, at: '/etc/hosts', readOnly: true },
      { host: path.join(files, 'passwd'), at: '/etc/passwd', readOnly: true },
      { host: path.join(files, 'group'), at: '/etc/group', readOnly: true },
      { host: bin, at: '/usr/local/bin', readOnly: true },
    ];
  }

  private startSlot(slot: Slot): void {
    const c = slot.resolved.spec;
    const image = slot.resolved.image!;
    const { uid, gid, groups } = this.securityOf(c);
    const user = image.users?.find((u) => u.uid === uid);
    const env = { PATH: '/usr/local/bin', HOSTNAME: this.name, HOME: user?.home ?? (uid === 0 ? '/root' : '/'), ...(image.env ?? {}) };
    Object.assign(env, containerEnv(c, this.identity, this.host.sources));
    const raw: string[] = c.command ? [...c.command, ...(c.args ?? [])] : [...(image.entrypoint ?? []), ...(c.args ?? image.cmd ?? [])];
    const argv = raw.map((a) => expand(a, env));
    if (argv.length === 0) throw new ConfigError(`container ${c.name}: no command and image ${c.image} has no entrypoint in the table`);
    if (!argv[0].includes('/') && !(argv[0] in image.programs)) {
      throw new ConfigError(`container ${c.name}: exec: "${argv[0]}": executable file not found in $PATH (image ${c.image} as this harness knows it)`);
    }
    slot.process = ContainerProcess.start({
      label: `${this.name}/${c.name}`,
      netns: this.netns!,
      hostname: this.name,
      binds: this.binds(slot, uid, gid),
      readOnlyRoot: c.securityContext?.readOnlyRootFilesystem === true,
      uid,
      gid,
      groups,
      argv,
      env,
      workingDir: c.workingDir,
      logFile: path.join(this.dir, 'logs', `${c.name}.log`),
      scratch: path.join(this.dir, 'scratch', `${c.name}-${slot.restarts}`),
    });
    slot.started = true;
    slot.ready = false;
    const proc = slot.process;
    void proc.exited.then((code) => this.onExit(slot, proc, code));
  }

  private onExit(slot: Slot, proc: ContainerProcess, code: number): void {
    if (this.terminating || slot.process !== proc) return;
    slot.ready = false;
    this.host.readinessChanged(this);
    if (slot.resolved.role === 'init') return;
    slot.exits.push({ code, lines: proc.lastLines() });
    const restart = slot.resolved.role === 'sidecar' || (this.spec.restartPolicy ?? 'Always') === 'Always' && !this.workload.runToCompletion;
    if (restart && slot.restarts < 5) {
      slot.restarts++;
      const backoff = Math.min(10_000, 1000 * 2 ** (slot.restarts - 1));
      setTimeout(() => {
        if (this.terminating) return;
        try {
          this.startSlot(slot);
        } catch (e) {
          this.problems.push(`pod ${this.name}: ${(e as Error).message}`);
        }
      }, backoff).unref();
    }
  }

  private async runInit(slot: Slot): Promise<boolean> {
    this.startSlot(slot);
    const code = await Promise.race([slot.process!.exited, sleep(this.initTimeoutMs).then(() => 'timeout' as const)]);
    if (code === 0) return true;
    if (code === 'timeout') await slot.process!.kill();
    this.problems.push(`pod ${this.name} init container ${slot.resolved.name} ${code === 'timeout' ? `did not finish in ${this.initTimeoutMs / 1000} s` : `exited ${code}`}: ${slot.process!.lastLines()}`);
    this.finished = true;
    return false;
  }

  private async waitStartup(slot: Slot): Promise<void> {
    const budget = probeBudgetMs(slot.resolved.spec.startupProbe);
    const deadline = Date.now() + budget;
    const waiting = () => !slot.ready && !slot.lastProbe?.startupDone && Date.now() < deadline && slot.process?.running;
    while (slot.resolved.spec.startupProbe && waiting()) await sleep(200);
  }

  /** Probes every container about once a second (periodSeconds are compressed; failure budgets are not). */
  private runProbes(): void {
    if (this.probing) return;
    this.probing = true;
    const loop = async () => {
      while (!this.terminating && !this.finished) {
        let changed = false;
        for (const slot of this.slots.values()) {
          const proc = slot.process;
          if (slot.resolved.role === 'init' || !proc) continue;
          const before = slot.ready;
          if (!proc.running) {
            slot.ready = false;
          } else {
            const result = await probe(slot.resolved.spec, proc, this.identity.ip, slot.lastProbe);
            slot.lastProbe = result;
            slot.ready = result.ready;
            if (result.startupFailed && proc === slot.process) {
              this.problems.push(`pod ${this.name} container ${slot.resolved.name}: startup probe failed (${result.detail}); killed`);
              await proc.kill();
            }
          }
          if (slot.ready !== before) changed = true;
        }
        if (changed) {
          if (this.ready && this.readyAt === undefined) this.readyAt = Date.now();
          this.host.readinessChanged(this);
        }
        await sleep(500);
      }
    };
    void loop();
  }

  /** Seconds from creation to ready, when it became ready. */
  public get readySeconds(): string | undefined {
    return this.readyAt === undefined ? undefined : ((this.readyAt - this.createdAt) / 1000).toFixed(1);
  }

  /** Why the pod is not ready, container by container: exits with their last lines, failing probes. */
  public notReadyReasons(): string[] {
    const reasons: string[] = [];
    for (const slot of this.slots.values()) {
      if (slot.resolved.role === 'init' || slot.resolved.unrunnable || slot.resolved.needsApiServer || slot.ready || !slot.started) continue;
      const last = slot.exits[slot.exits.length - 1];
      if (last) reasons.push(`pod ${this.name} container ${slot.resolved.name} exited ${last.code}${slot.exits.length > 1 ? ` (${slot.exits.length} times)` : ''}: ${last.lines}`);
      else if (slot.lastProbe) reasons.push(`pod ${this.name} container ${slot.resolved.name} not ready: ${slot.lastProbe.detail}${slot.process ? `; log: ${slot.process.lastLines(1)}` : ''}`);
    }
    return reasons;
  }

  /** Restarts of long-running containers, for the report. */
  public crashes(): string[] {
    return [...this.slots.values()].filter((s) => s.exits.length > 0)
      .map((s) => `pod ${this.name} container ${s.resolved.name} exited ${s.exits[0].code}: ${s.exits[0].lines}`);
  }

  /** Waits until every main container has exited (a Job's pod); returns false on timeout. */
  public async waitMainExited(timeoutMs: number): Promise<boolean> {
    const main = [...this.slots.values()].filter((s) => s.resolved.role === 'main' && s.process);
    const done = Promise.all(main.map((s) => s.process!.exited));
    return (Promise.race([done.then(() => true), sleep(timeoutMs).then(() => false)]));
  }

  /** A Job pod's main containers' results. */
  public mainResults(): { name: string; code: number | undefined; lines: string }[] {
    return [...this.slots.values()].filter((s) => s.resolved.role === 'main' && s.process)
      .map((s) => ({ name: s.resolved.name, code: s.process!.exitCode, lines: s.process!.lastLines() }));
  }

  /** Runs a command in a container as `kubectl exec` does. */
  public exec(container: string, argv: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
    const proc = this.container(container);
    if (!proc) return Promise.resolve({ status: null, output: `pod ${this.name} has no running container ${container}` });
    return proc.exec(argv, timeoutMs);
  }

  /**
   * Stops the pod as the kubelet does: not ready at once, then each main container's preStop hook
   * followed by SIGTERM, SIGKILL after terminationGracePeriodSeconds; native sidecars after the
   * main containers, in reverse order. Problems (a failing hook, a container that ignored SIGTERM) are recorded.
   */
  public async terminate(): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    this.host.readinessChanged(this);
    const graceMs = Math.min(30, this.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const deadline = Date.now() + graceMs;
    const stop = async (slot: Slot) => {
      const proc = slot.process;
      if (!proc || !proc.running) return;
      const hook = slot.resolved.spec.lifecycle?.preStop;
      if (hook) {
        const result = await runHook(hook, proc, this.identity.ip, Math.max(1000, deadline - Date.now()));
        // A hook that stops PID 1 (kill -INT 1) ends with its container: the kernel kills the rest of the PID namespace.
        if (result.status === null) await Promise.race([proc.exited, sleep(2000)]);
        const endedWithContainer = result.status === null && !proc.running;
        if (result.status !== 0 && !endedWithContainer) this.problems.push(`pod ${this.name} container ${slot.resolved.name}: preStop hook ${result.status === null ? 'did not finish' : `exited ${result.status}`}: ${result.output.trim().slice(-300)}`);
      }
      // The image's STOPSIGNAL, as the container runtime sends it (postgres: SIGINT, a fast shutdown).
      proc.signal(slot.resolved.image?.stopSignal ?? 'SIGTERM');
      const code = await Promise.race([proc.exited, sleep(Math.max(0, deadline - Date.now())).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        this.problems.push(`pod ${this.name} container ${slot.resolved.name} did not stop within terminationGracePeriodSeconds (${graceMs / 1000} s) after ${slot.resolved.image?.stopSignal ?? 'SIGTERM'}: killed`);
        await proc.kill();
      }
    };
    const main = [...this.slots.values()].filter((s) => s.resolved.role === 'main');
    await Promise.all(main.map(stop));
    for (const slot of [...this.slots.values()].filter((s) => s.resolved.role === 'sidecar').reverse()) await stop(slot);
    for (const slot of this.slots.values()) if (slot.process?.running) await slot.process.kill();
    if (this.netns) this.host.removeNetwork(this.netns);
  }
}

/** The time a probe may fail before it counts: initialDelaySeconds + periodSeconds × failureThreshold. */
export function probeBudgetMs(p: any): number {
  if (!p) return 0;
  return ((p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3)) * 1000;
}

async function runHook(hook: any, proc: ContainerProcess, ip: string, timeoutMs: number): Promise<ExecResult> {
  if (hook.exec) return proc.exec(hook.exec.command, timeoutMs);
  if (hook.sleep) {
    await sleep(hook.sleep.seconds * 1000);
    return { status: 0, output: '' };
  }
  const result = await probe({ readinessProbe: { ...hook, timeoutSeconds: timeoutMs / 1000 } }, proc, ip, undefined);
  return { status: result.ready ? 0 : 1, output: result.detail };
}
