import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { libraryCronJobs } from '../core/job-registry';
import { renderedForChecks } from '../core/synth-scope';

/** One synthesized object, with the construct that made it when the app is a cdk8s tree. */
export interface CheckedObject {
  /** The construct path (or `Kind/namespace/name` for plain YAML). */
  readonly path: string;
  readonly manifest: any;
  readonly construct?: IConstruct;
}

/** The read-only view every rule gets: each object of the app, rendered once per synth. */
export interface CheckedApp {
  readonly objects: readonly CheckedObject[];
  /** The instant "now" for time-dependent rules (daylight-saving gaps). */
  readonly now: Date;
  /** Whether every database is held to production standards (single instance refused). */
  readonly production: boolean;
  /** `namespace/name` of each CronJob the library registered, to what it does (tree views only). */
  readonly jobKinds?: ReadonlyMap<string, string>;
}

/** The view over a construct tree: every ApiObject under `root`, in tree order. */
export function viewOfTree(root: IConstruct, options: { now: Date; production: boolean }): CheckedApp {
  const objects = root.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((c) => ({ path: c.node.path, manifest: renderedForChecks(c), construct: c }));
  const jobKinds = new Map(libraryCronJobs(root).map((j) => [`${j.namespace ?? ''}/${j.name}`, j.kind as string]));
  return { objects, jobKinds, ...options };
}

/** The view over plain manifests (hand-written YAML, the cdk8s CLI plugin). */
export function viewOfManifests(manifests: readonly any[], options: { now: Date; production: boolean }): CheckedApp {
  const objects = manifests.filter((m) => m && typeof m === 'object' && m.kind)
    .map((m) => ({ path: `${m.kind}/${m.metadata?.namespace ?? 'default'}/${m.metadata?.name ?? '?'}`, manifest: m }));
  return { objects, ...options };
}

export function ofKind(app: CheckedApp, ...kinds: string[]): CheckedObject[] {
  return app.objects.filter((o) => kinds.includes(o.manifest.kind));
}

export function namespaceOf(manifest: any): string {
  return manifest.metadata?.namespace ?? '';
}

export function nameOf(manifest: any): string {
  return manifest.metadata?.name ?? '';
}

/** The pod spec an object runs, if it runs pods. */
export function podSpecOf(manifest: any): any {
  switch (manifest.kind) {
    case 'Pod': return manifest.spec;
    case 'CronJob': return manifest.spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return manifest.spec?.template?.spec;
    default: return undefined;
  }
}

/** The labels of the pods an object runs. */
export function podLabelsOf(manifest: any): Record<string, string> {
  if (manifest.kind === 'Pod') return manifest.metadata?.labels ?? {};
  if (manifest.kind === 'CronJob') return manifest.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  // The labels CloudNativePG puts on the pods it creates.
  if (isCnpg(manifest, 'Cluster')) return { 'cnpg.io/cluster': nameOf(manifest), 'cnpg.io/podRole': 'instance' };
  if (isCnpg(manifest, 'Pooler')) return { 'cnpg.io/poolerName': nameOf(manifest), 'cnpg.io/podRole': 'pooler' };
  return manifest.spec?.template?.metadata?.labels ?? {};
}

export function containersOf(podSpec: any): any[] {
  return [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];
}

export function isCnpg(manifest: any, kind: string): boolean {
  return manifest.kind === kind && String(manifest.apiVersion).startsWith('postgresql.cnpg.io/');
}

/** What a container is, from its image's repository name. */
export type ContainerRole = 'database' | 'pooler' | 'exporter' | 'other';

export function roleOfImage(image: string | undefined): ContainerRole {
  const repository = imageRepository(image ?? '').split('/').pop() ?? '';
  if (/postgres(ql)?[-_]exporter/.test(repository)) return 'exporter';
  if (/pgbouncer|pgpool/.test(repository)) return 'pooler';
  if (/^(postgres|postgresql|postgis|spilo(-\d+)?|patroni)$/.test(repository)) return 'database';
  return 'other';
}

/** The image reference without tag or digest. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

/** A long-running workload (Deployment, StatefulSet, CNPG Cluster or Pooler) and what it serves. */
export interface Workload {
  readonly object: CheckedObject;
  readonly role: ContainerRole;
  readonly replicas: number;
}

/** The database, pooler and exporter workloads of the app. */
export function workloadsOf(app: CheckedApp): Workload[] {
  const found: Workload[] = [];
  for (const object of app.objects) {
    const m = object.manifest;
    if (isCnpg(m, 'Cluster')) {found.push({ object, role: 'database', replicas: m.spec?.instances ?? 1 });} else if (isCnpg(m, 'Pooler')) {found.push({ object, role: 'pooler', replicas: m.spec?.instances ?? 1 });} else if (['Deployment', 'StatefulSet'].includes(m.kind)) {
      const roles = (podSpecOf(m)?.containers ?? []).map((c: any) => roleOfImage(c.image));
      // A database pod may carry tool sidecars; an application pod with a pooler sidecar is an application.
      const role = roles.includes('database') ? 'database' : roles.includes('other') ? undefined
        : (['pooler', 'exporter'] as const).find((r) => roles.includes(r));
      if (role) found.push({ object, role, replicas: m.spec?.replicas ?? 1 });
    }
  }
  return found;
}

/** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels = selector.matchLabels ?? {};
  const expressions: any[] = selector.matchExpressions ?? [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return expressions.every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** The objects of `kinds` in the workload's namespace whose selector picks its pods. */
export function selecting(app: CheckedApp, workload: CheckedObject, kind: string, selectorOf: (m: any) => any): CheckedObject[] {
  const labels = podLabelsOf(workload.manifest);
  return ofKind(app, kind).filter((o) => namespaceOf(o.manifest) === namespaceOf(workload.manifest)
    && selects(selectorOf(o.manifest), labels));
}

/** Every container of every pod the app runs, with the object running it. */
export function everyContainer(app: CheckedApp): Array<{ object: CheckedObject; container: any; podSpec: any }> {
  const found: Array<{ object: CheckedObject; container: any; podSpec: any }> = [];
  for (const object of app.objects) {
    const podSpec = podSpecOf(object.manifest);
    for (const container of containersOf(podSpec)) found.push({ object, container, podSpec });
  }
  return found;
}

/** The text of a container's command and arguments, for recognising what it runs. */
export function commandText(container: any): string {
  return [...(container.command ?? []), ...(container.args ?? [])].join(' ');
}

/** Every alerting rule of every PrometheusRule. */
export function alertRules(app: CheckedApp): Array<{ object: CheckedObject; rule: any }> {
  return ofKind(app, 'PrometheusRule').flatMap((object) => (object.manifest.spec?.groups ?? [])
    .flatMap((g: any) => (g.rules ?? []).filter((r: any) => r.alert).map((rule: any) => ({ object, rule }))));
}
