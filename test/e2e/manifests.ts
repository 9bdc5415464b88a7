import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** A Kubernetes object as YAML gives it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [field: string]: any;
}

/** Every object of the YAML files given (a directory: its *.yaml and *.yml files, sorted). */
export function loadManifests(inputs: readonly string[]): KubeObject[] {
  const files = inputs.flatMap((input) => fs.statSync(input).isDirectory()
    ? fs.readdirSync(input).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(input, f))
    : [input]);
  return files.flatMap((file) => parseManifests(fs.readFileSync(file, 'utf8'), file));
}

export function parseManifests(text: string, source = 'input'): KubeObject[] {
  return YAML.parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter((o: any) => o && typeof o === 'object' && o.kind) as KubeObject[];
}

export function namespaceOf(object: KubeObject, fallback = 'default'): string {
  return object.metadata.namespace ?? fallback;
}

/** A group of pods made from one template: a Deployment, StatefulSet, Job, CronJob's Job, bare Pod, ... */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** The pod template (metadata + spec). */
  readonly template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: any };
  readonly replicas: number;
  /** Runs to completion (Job, CronJob) rather than staying up. */
  readonly runToCompletion: boolean;
  /** StatefulSet: stable pod names, headless Service and claim templates. */
  readonly statefulSet?: { serviceName?: string; claimTemplates: string[]; parallel: boolean };
  readonly activeDeadlineSeconds?: number;
}

const POD_GROUPS = new Set(['apps', 'batch', '']);

/** Workloads of the objects, in file order; other kinds are not run. */
export function workloadsOf(objects: readonly KubeObject[], defaultNamespace = 'default'): Workload[] {
  const result: Workload[] = [];
  for (const o of objects) {
    const base = { kind: o.kind, name: o.metadata.name, namespace: namespaceOf(o, defaultNamespace) };
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    if (!POD_GROUPS.has(group)) continue;
    switch (o.kind) {
      case 'Deployment':
      case 'ReplicaSet':
        result.push({ ...base, template: o.spec.template, replicas: o.spec.replicas ?? 1, runToCompletion: false });
        break;
      case 'DaemonSet':
        result.push({ ...base, template: o.spec.template, replicas: 1, runToCompletion: false });
        break;
      case 'StatefulSet':
        result.push({
          ...base,
          template: o.spec.template,
          replicas: o.spec.replicas ?? 1,
          runToCompletion: false,
          statefulSet: {
            serviceName: o.spec.serviceName,
            claimTemplates: (o.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name),
            parallel: o.spec.podManagementPolicy === 'Parallel',
          },
        });
        break;
      case 'Job':
        result.push({ ...base, template: o.spec.template, replicas: 1, runToCompletion: true, activeDeadlineSeconds: o.spec.activeDeadlineSeconds });
        break;
      case 'CronJob': {
        const job = o.spec.jobTemplate.spec;
        result.push({ ...base, template: job.template, replicas: 1, runToCompletion: true, activeDeadlineSeconds: job.activeDeadlineSeconds });
        break;
      }
      case 'Pod':
        result.push({ ...base, template: { metadata: o.metadata, spec: o.spec }, replicas: 1, runToCompletion: ['Never', 'OnFailure'].includes(o.spec.restartPolicy) });
        break;
      default:
    }
  }
  return result;
}

/** Custom resources: an operator (an API server's client) acts on them, this harness cannot. */
export function customResourcesOf(objects: readonly KubeObject[]): KubeObject[] {
  const builtIn = /^(v1|(apps|batch|policy|networking\.k8s\.io|rbac\.authorization\.k8s\.io|autoscaling|storage\.k8s\.io|scheduling\.k8s\.io|coordination\.k8s\.io)\/)/;
  return objects.filter((o) => !builtIn.test(o.apiVersion));
}

/** The pod names of a workload: StatefulSet `name-0..n`, others `name-<i>` (a CronJob's run gets `-manual`). */
export function podNames(w: Workload): string[] {
  if (w.kind === 'CronJob') return [`${w.name}-manual`];
  if (w.kind === 'Pod') return [w.name];
  return Array.from({ length: w.replicas }, (_, i) => (w.statefulSet ? `${w.name}-${i}` : `${w.name}-${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${i >= 26 ? i : ''}`));
}

/** Whether `labels` satisfy a selector (a Service's map, or matchLabels/matchExpressions). */
export function selects(selector: any, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  const matchLabels = selector.matchLabels ?? (selector.matchExpressions ? {} : selector);
  if (Object.keys(matchLabels).length === 0 && !selector.matchExpressions) return false;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return (selector.matchExpressions ?? []).every((e: any) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}
