import * as fs from 'fs';
import * as path from 'path';
import { BUILT_IN_IMAGES, ImageSpec } from './images';
import { customResourcesOf, KubeObject, namespaceOf, podNames, selects, Workload, workloadsOf } from './manifests';
import { PodNetwork } from './network';
import { Pod, PodHost } from './pod';
import { Sources } from './pod-spec';
import { apiAccessOf } from './rbac';

export interface ClusterOptions {
  /** Secret objects (from --secrets); Secrets in the manifests are never used. */
  readonly secrets?: readonly KubeObject[];
  /** Images added to the built-in table (from --images); they win over it. */
  readonly images?: readonly ImageSpec[];
  /** How long long-running workloads get to become ready. @default 120 s */
  readonly readyTimeoutMs?: number;
  /** Longest run of a Job (activeDeadlineSeconds when shorter). @default 300 s */
  readonly jobTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Secrets missing from `secrets` get a placeholder value for every key (wiring runs; real logins fail). @default false */
  readonly placeholderSecrets?: boolean;
  /**
   * A PEM file bound as every image's CA bundle (/etc/ssl/certs/ca-certificates.crt), so that a
   * peer with a certificate from the test's CA (the S3 endpoint) is trusted as a public one would be.
   */
  readonly caBundle?: string;
  /** How long long-running pods must stay up after all are ready before they are judged. @default 3 s */
  readonly settleMs?: number;
  /** Copy every container's log here before the state is removed. */
  readonly keepLogsIn?: string;
}

/** One line of the report. */
export interface Outcome {
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  readonly workload: string;
  readonly reason: string;
}

/** A pause that does not keep the process alive on its own. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
const live = new Set<LocalCluster>();

/**
 * A small local kubelet for the synthesized YAML: long-running workloads as pods on a private
 * network, Services as host names of ready pods, Jobs (a CronJob once) run to completion, and a
 * report of what passed, failed or cannot run here. No scheduler, API server or controllers.
 */
export class LocalCluster implements PodHost {
  /** Starts every Deployment/StatefulSet/... and waits (bounded) for their pods to be ready. */
  public static async up(objects: readonly KubeObject[], options: ClusterOptions = {}): Promise<LocalCluster> {
    const cluster = new LocalCluster(objects, options);
    live.add(cluster);
    try {
      await cluster.startLongRunning();
    } catch (e) {
      await cluster.down();
      throw e;
    }
    return cluster;
  }

  public readonly pods: Pod[] = [];
  public readonly outcomes: Outcome[] = [];
  public readonly notes: string[] = [];
  public readonly images: readonly ImageSpec[];
  public readonly sources: Sources;
  private readonly network: PodNetwork;
  private readonly services: KubeObject[];
  private readonly workloads: Workload[];
  private readonly serviceChoice = new Map<string, string>();
  private readonly readiness = new Map<Workload, { ready: number; total: number; reasons: string[]; seconds?: string }>();
  private downed = false;
  /** Host names of test peers on the host's bridge address (a Service outside the manifests, e.g. a Pushgateway). */
  private readonly peers: { service: string; namespace: string }[] = [];
  /** Host names outside the cluster (e.g. an S3 endpoint) that resolve to a test peer on the host's bridge address. */
  private readonly peerHosts: string[] = [];

  private constructor(private readonly objects: readonly KubeObject[], private readonly options: ClusterOptions) {
    this.images = [...(options.images ?? []), ...BUILT_IN_IMAGES];
    const secrets = options.secrets ?? [];
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
    this.sources = {
      secret: (ns, name) => secrets.find((s) => s.metadata.name === name && namespaceOf(s) === ns) ?? this.placeholder(ns, name),
      configMap: (ns, name) => configMaps.find((c) => c.metadata.name === name && namespaceOf(c) === ns),
    };
    for (const s of objects.filter((o) => o.kind === 'Secret')) this.notes.push(`Secret ${s.metadata.name} in the manifests ignored: Secrets come from --secrets`);
    this.services = objects.filter((o) => o.kind === 'Service');
    for (const s of this.services) {
      for (const p of s.spec?.ports ?? []) {
        if (p.targetPort !== undefined && String(p.targetPort) !== String(p.port)) {
          this.notes.push(`Service ${s.metadata.name}: port ${p.port} -> targetPort ${p.targetPort} is not translated here (names resolve to pod addresses)`);
        }
      }
    }
    this.workloads = workloadsOf(objects);
    this.network = PodNetwork.create();
  }

  private placeholder(namespace: string, name: string): KubeObject | undefined {
    if (!this.options.placeholderSecrets) return undefined;
    const note = `Secret ${namespace}/${name} not given: placeholder values used`;
    if (!this.notes.includes(note)) this.notes.push(note);
    return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, placeholder: true };
  }

  public get hostAddress(): string {
    return this.network.hostAddress;
  }

  public apiAccessOf(namespace: string, serviceAccount: string): string | undefined {
    return apiAccessOf(this.objects, namespace, serviceAccount);
  }

  public get caBundle(): string | undefined {
    return this.options.caBundle;
  }

  /**
   * Makes `service.namespace` (and `.svc`, `.svc.cluster.local`; the bare name in its namespace)
   * resolve in every pod to the host's bridge address, where a test peer listens.
   */
  public addPeerService(service: string, namespace = 'default'): void {
    this.peers.push({ service, namespace });
    for (const p of this.pods) if (!p.terminating) p.refreshHosts();
  }

  /** Makes outside host names (e.g. `bucket.s3.eu-west-1.amazonaws.com`) resolve in every pod to the host's bridge address. */
  public addPeerHost(...hostNames: string[]): void {
    this.peerHosts.push(...hostNames);
    for (const p of this.pods) if (!p.terminating) p.refreshHosts();
  }

  public log(line: string): void {
    this.options.log?.(line);
  }

  public addNetwork(): { netns: string; ip: string } {
    return this.network.addPod();
  }

  public ensureMountPoint(at: string): void {
    this.network.ensureMountPoint(at);
  }

  public removeNetwork(netns: string): void {
    this.network.removePod(netns);
  }

  public claimDir(namespace: string, claim: string): string {
    const dir = path.join(this.network.stateDir, 'claims', namespace, claim);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      fs.chmodSync(dir, 0o755);
    }
    return dir;
  }

  public pod(name: string): Pod {
    const pod = this.pods.find((p) => p.name === name && !p.terminating);
    if (!pod) throw new Error(`no pod ${name}; pods: ${this.pods.map((p) => p.name).join(', ')}`);
    return pod;
  }

  /** The pods of a workload by name. */
  public podsOf(workloadName: string): Pod[] {
    return this.pods.filter((p) => p.workload.name === workloadName);
  }

  /** The pod a Service name resolves to now. */
  public serviceTarget(service: string, namespace = 'default'): Pod | undefined {
    const name = this.serviceChoice.get(`${namespace}/${service}`);
    return name ? this.pods.find((p) => p.name === name) : undefined;
  }

  private readyPodsOf(service: KubeObject): Pod[] {
    const ns = namespaceOf(service);
    return this.pods.filter((p) => p.workload.namespace === ns && selects(service.spec?.selector, p.labels) && p.ready)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  public hostsFile(pod: Pod): string {
    const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost'];
    const own = [pod.name];
    const ns = pod.workload.namespace;
    const headless = pod.workload.statefulSet?.serviceName;
    if (headless) own.unshift(`${pod.name}.${headless}.${ns}.svc.cluster.local`, `${pod.name}.${headless}.${ns}.svc`, `${pod.name}.${headless}.${ns}`, `${pod.name}.${headless}`);
    if (pod.ip) lines.push(`${pod.ip}\t${own.join(' ')}`);
    const peers = this.peers.flatMap((p) => [`${p.service}.${p.namespace}.svc.cluster.local`, `${p.service}.${p.namespace}.svc`,
      `${p.service}.${p.namespace}`, ...(p.namespace === ns ? [p.service] : [])]).concat(this.peerHosts);
    if (peers.length > 0) lines.push(`${this.hostAddress}\t${peers.join(' ')}`);
    for (const service of this.services) {
      const sns = namespaceOf(service);
      const name = service.metadata.name;
      const names = [`${name}.${sns}.svc.cluster.local`, `${name}.${sns}.svc`, `${name}.${sns}`, ...(sns === ns ? [name] : [])];
      const target = this.serviceChoice.get(`${sns}/${name}`);
      const targetPod = target ? this.pods.find((p) => p.name === target) : undefined;
      if (targetPod) lines.push(`${targetPod.ip}\t${names.join(' ')}`);
      // StatefulSet pods behind their headless Service: pod.service, ready pods only.
      for (const p of this.pods.filter((x) => x.workload.statefulSet?.serviceName === name && x.workload.namespace === sns && x !== pod)) {
        if (!p.ready && !service.spec?.publishNotReadyAddresses) continue;
        lines.push(`${p.ip}\t${p.name}.${name}.${sns}.svc.cluster.local ${p.name}.${name}.${sns}.svc ${p.name}.${name}.${sns}${sns === ns ? ` ${p.name}.${name}` : ''}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }

  /** Re-picks each Service's pod (the current one while it stays ready) and rewrites every pod's /etc/hosts. */
  public readinessChanged(_pod?: Pod): void {
    for (const service of this.services) {
      const key = `${namespaceOf(service)}/${service.metadata.name}`;
      const ready = this.readyPodsOf(service);
      const current = this.serviceChoice.get(key);
      const next = ready.find((p) => p.name === current) ?? ready[0];
      if (next?.name !== current) {
        if (next) this.serviceChoice.set(key, next.name);
        else this.serviceChoice.delete(key);
        this.log(`# Service ${key} -> ${next ? `pod ${next.name} (${next.ip}; 1 of ${ready.length} ready)` : 'no ready pod'}`);
      }
    }
    for (const p of this.pods) if (!p.terminating) p.refreshHosts();
  }

  private async startLongRunning(): Promise<void> {
    const longRunning = this.workloads.filter((w) => !w.runToCompletion);
    const timeout = this.options.readyTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeout;
    const started: Promise<void>[] = [];
    for (const w of longRunning) {
      const names = podNames(w);
      const run = async () => {
        for (const name of names) {
          const pod = new Pod(w, name, this, this.network.stateDir);
          pod.initTimeoutMs = timeout;
          this.pods.push(pod);
          this.log(`# starting pod ${name} (${w.kind} ${w.name})`);
          await pod.start();
          // StatefulSets (OrderedReady) start the next pod when this one is ready.
          if (w.statefulSet && !w.statefulSet.parallel) {
            while (!pod.ready && Date.now() < deadline && pod.problems.length === 0 && pod.skipped.length === 0) await sleep(250);
          }
        }
      };
      started.push(run());
    }
    await Promise.all(started);
    while (Date.now() < deadline && this.pods.some((p) => !p.ready && p.problems.length === 0 && p.skipped.length === 0)) await sleep(250);
    // A container without a readiness probe is ready as soon as it runs; one that then exits
    // within a moment (a bad config it reads after starting) must not pass for that alone.
    if (longRunning.length > 0) await sleep(this.options.settleMs ?? 3000);
    for (const w of longRunning) {
      const pods = this.podsOf(w.name);
      const ready = pods.filter((p) => p.ready);
      const slowest = ready.map((p) => Number(p.readySeconds ?? 0)).sort((a, b) => b - a)[0];
      this.readiness.set(w, {
        ready: ready.length,
        total: podNames(w).length,
        seconds: slowest?.toFixed(1),
        reasons: pods.filter((p) => !p.ready).flatMap((p) => [...p.problems, ...p.notReadyReasons()]),
      });
    }
  }

  /** Runs every Job and CronJob (once, as its Job), one after the other. */
  public async runJobs(filter: (w: Workload) => boolean = () => true): Promise<Outcome[]> {
    const results: Outcome[] = [];
    for (const w of this.workloads.filter((x) => x.runToCompletion && filter(x))) results.push(await this.runJob(w));
    return results;
  }

  /** Runs one Job's pod to completion, stops its sidecars, and records the outcome. */
  public async runJob(w: Workload): Promise<Outcome> {
    const label = `${w.kind} ${w.name}`;
    // A workload run again gets a fresh pod name, as a second `kubectl create job --from=...` must.
    const base = podNames(w)[0];
    const runs = this.pods.filter((p) => p.name === base || p.name.startsWith(`${base}-`) && p.workload === w).length;
    const pod = new Pod(w, runs === 0 ? base : `${base}-${runs + 1}`, this, this.network.stateDir);
    this.pods.push(pod);
    this.log(`# running ${label} as pod ${pod.name}`);
    const timeoutMs = Math.min(this.options.jobTimeoutMs ?? 300_000, (w.activeDeadlineSeconds ?? Infinity) * 1000);
    pod.initTimeoutMs = timeoutMs;
    await pod.start();
    let outcome: Outcome;
    if (pod.skipped.length > 0) {
      outcome = { status: 'SKIP', workload: label, reason: pod.skipped.join('; ') };
    } else {
      const done = pod.problems.length === 0 && await pod.waitMainExited(timeoutMs);
      const results = pod.mainResults();
      await pod.terminate();
      pod.finished = true;
      const failed = results.filter((r) => r.code !== 0 && r.code !== undefined);
      const running = results.filter((r) => r.code === undefined);
      if (pod.problems.length > 0 && results.length === 0) {outcome = { status: 'FAIL', workload: label, reason: pod.problems.join('; ') };} else if (!done && running.length > 0) {
        outcome = { status: 'FAIL', workload: label, reason: `pod ${pod.name}: container ${running.map((r) => r.name).join(', ')} still running after ${timeoutMs / 1000} s (a container that does not exit keeps the Job alive): ${running[0].lines}` };
      } else if (failed.length > 0) {
        outcome = { status: 'FAIL', workload: label, reason: failed.map((r) => `pod ${pod.name} container ${r.name} exited ${r.code}: ${r.lines}`).join('; ') };
      } else if (pod.problems.length > 0) {
        outcome = { status: 'FAIL', workload: label, reason: pod.problems.join('; ') };
      } else {
        outcome = { status: 'PASS', workload: label, reason: `containers ${results.map((r) => r.name).join(', ')} exited 0` };
      }
    }
    this.outcomes.push(outcome);
    return outcome;
  }

  /** Deletes a pod as `kubectl delete pod` would (preStop, SIGTERM, grace); the Service moves to another ready pod. */
  public async deletePod(name: string): Promise<Pod> {
    const pod = this.pod(name);
    await pod.terminate();
    return pod;
  }

  /** Stops every pod (last started first), removes the network and state, and completes the report. */
  public async down(): Promise<Outcome[]> {
    if (this.downed) return this.outcomes;
    this.downed = true;
    try {
      const longRunning = this.workloads.filter((w) => !w.runToCompletion);
      // Everything at once, as `kubectl delete -f` does: a server waits for its clients' pods to go.
      await Promise.all(this.pods.map((p) => p.terminate()));
      const jobOutcomes = [...this.outcomes];
      this.outcomes.length = 0;
      for (const o of customResourcesOf(this.objects)) {
        this.outcomes.push({ status: 'SKIP', workload: `${o.kind} ${o.metadata.name}`, reason: `needs an API server (${o.apiVersion} ${o.kind} is acted on by an operator)` });
      }
      for (const w of longRunning) this.outcomes.push(this.longRunningOutcome(w));
      this.outcomes.push(...jobOutcomes);
    } finally {
      if (this.options.keepLogsIn) this.copyLogs(this.options.keepLogsIn);
      this.network.remove();
      live.delete(this);
    }
    return this.outcomes;
  }

  private copyLogs(target: string): void {
    const pods = path.join(this.network.stateDir, 'pods');
    for (const pod of fs.existsSync(pods) ? fs.readdirSync(pods) : []) {
      const logs = path.join(pods, pod, 'logs');
      if (!fs.existsSync(logs)) continue;
      fs.mkdirSync(path.join(target, pod), { recursive: true });
      for (const f of fs.readdirSync(logs)) fs.copyFileSync(path.join(logs, f), path.join(target, pod, f));
    }
  }

  private longRunningOutcome(w: Workload): Outcome {
    const label = `${w.kind} ${w.name}`;
    const pods = this.podsOf(w.name);
    const r = this.readiness.get(w) ?? { ready: 0, total: podNames(w).length, reasons: [] };
    const skipped = [...new Set(pods.flatMap((p) => p.skipped))];
    const problems = [...new Set(pods.flatMap((p) => p.problems))];
    const lateCrashes = pods.filter((p) => p.readyAt !== undefined).flatMap((p) => p.crashes());
    if (r.ready < r.total || problems.length > 0 || lateCrashes.length > 0) {
      const reasons = [...new Set([...r.reasons, ...problems, ...lateCrashes])];
      if (skipped.length > 0 && reasons.length === 0) return { status: 'SKIP', workload: label, reason: skipped.join('; ') };
      return { status: 'FAIL', workload: label, reason: `${r.ready}/${r.total} ready: ${reasons.join('; ') || 'not ready in time'}` };
    }
    const hooks = (w.template.spec.containers ?? []).filter((c: any) => c.lifecycle?.preStop).map((c: any) => c.name);
    const stopped = `stopped cleanly${hooks.length ? ` (preStop of ${hooks.join(', ')} ran)` : ''}`;
    if (skipped.length > 0) return { status: 'SKIP', workload: label, reason: `${skipped.join('; ')} (the other containers: ${r.ready}/${r.total} ready)` };
    return { status: 'PASS', workload: label, reason: `${r.ready}/${r.total} ready in ${r.seconds ?? '?'} s; ${stopped}` };
  }
}

/** The report: one line per workload and job, then the counts. */
export function formatReport(outcomes: readonly Outcome[]): string[] {
  const lines = outcomes.map((o) => `${o.status} ${o.workload}${o.reason ? ` (${o.reason})` : ''}`);
  const count = (s: Outcome['status']) => outcomes.filter((o) => o.status === s).length;
  lines.push(`${count('PASS')} passed, ${count('FAIL')} failed, ${count('SKIP')} not runnable here`);
  return lines;
}

// A run torn down without down() (an uncaught error, Ctrl-C): no process, namespace or link may outlive it.
process.on('exit', () => {
  for (const cluster of live) {
    for (const pod of cluster.pods) {
      (pod as any).slots?.forEach((slot: any) => {
        try {
          if (slot.process?.running) process.kill(slot.process.pid, 'SIGKILL');
        } catch {
          // gone
        }
      });
    }
    (cluster as any).network?.remove();
  }
});
