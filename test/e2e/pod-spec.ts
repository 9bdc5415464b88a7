import * as fs from 'fs';
import * as path from 'path';
import { KubeObject } from './manifests';

/** What a pod's env and volumes are resolved against: the Secrets given (--secrets) and the manifests' ConfigMaps. */
export interface Sources {
  secret(namespace: string, name: string): KubeObject | undefined;
  configMap(namespace: string, name: string): KubeObject | undefined;
}

/** Identity of a pod, for fieldRef and the downward API. */
export interface PodIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  readonly hostIp: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly serviceAccountName: string;
}

/** A failure the kubelet reports before the container starts (CreateContainerConfigError and the like). */
export class ConfigError extends Error {}

function secretData(secret: KubeObject): Record<string, string> {
  if (secret.placeholder) {
    return new Proxy({}, { has: () => true, get: (_t, key) => `placeholder-${secret.metadata.name}-${String(key)}` }) as Record<string, string>;
  }
  const data: Record<string, string> = { ...(secret.stringData ?? {}) };
  for (const [k, v] of Object.entries<string>(secret.data ?? {})) data[k] = Buffer.from(v, 'base64').toString('utf8');
  return data;
}

function configMapData(cm: KubeObject): Record<string, string> {
  const data: Record<string, string> = { ...(cm.data ?? {}) };
  for (const [k, v] of Object.entries<string>(cm.binaryData ?? {})) data[k] = Buffer.from(v, 'base64').toString('latin1');
  return data;
}

function fieldValue(fieldPath: string, pod: PodIdentity): string {
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (label) return (label[1] === 'labels' ? pod.labels : pod.annotations)[label[2]] ?? '';
  switch (fieldPath) {
    case 'metadata.name': return pod.name;
    case 'metadata.namespace': return pod.namespace;
    case 'status.podIP': return pod.ip;
    case 'status.podIPs': return pod.ip;
    case 'status.hostIP': return pod.hostIp;
    case 'spec.nodeName': return 'e2e-node';
    case 'spec.serviceAccountName': return pod.serviceAccountName;
    case 'metadata.uid': return `uid-${pod.name}`;
    default: throw new ConfigError(`fieldRef ${fieldPath} is not supported by this harness`);
  }
}

/** Kubernetes' $(VAR) expansion: known names are replaced, $$(VAR) escapes, unknown references stay as written. */
export function expand(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name) => {
    if (match === '$$') return '$';
    return name in vars ? vars[name] : match;
  });
}

/** A container's environment as the kubelet builds it: envFrom first, then env in order, each value expanded against what precedes it. */
export function containerEnv(container: any, pod: PodIdentity, sources: Sources): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    const object = from.secretRef ? sources.secret(pod.namespace, ref.name) : sources.configMap(pod.namespace, ref.name);
    if (!object) {
      if (ref.optional) continue;
      throw new ConfigError(`envFrom: ${from.secretRef ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    const data = from.secretRef ? secretData(object) : configMapData(object);
    for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom === undefined) {
      env[e.name] = expand(e.value ?? '', env);
      continue;
    }
    const { secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef } = e.valueFrom;
    if (fieldRef) {
      env[e.name] = fieldValue(fieldRef.fieldPath, pod);
    } else if (resourceFieldRef) {
      env[e.name] = resourceValue(container, resourceFieldRef);
    } else {
      const ref = secretKeyRef ?? configMapKeyRef;
      const object = secretKeyRef ? sources.secret(pod.namespace, ref.name) : sources.configMap(pod.namespace, ref.name);
      const what = `${secretKeyRef ? 'secret' : 'configmap'} "${ref.name}"`;
      const data = object ? (secretKeyRef ? secretData(object) : configMapData(object)) : undefined;
      if (data && ref.key in data) env[e.name] = data[ref.key];
      else if (!ref.optional) throw new ConfigError(`env ${e.name}: ${data ? `key "${ref.key}" not in ${what}` : `${what} not found`}${secretKeyRef ? ' (Secrets come from --secrets)' : ''}`);
    }
  }
  return env;
}

function resourceValue(container: any, ref: any): string {
  const [kind, name] = ref.resource.split('.');
  const value = container.resources?.[kind]?.[name];
  return value === undefined ? '0' : String(value);
}

/** One file a volume holds, with the mode the kubelet gives it. */
export interface VolumeFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

function itemsOf(data: Record<string, string>, items: any[] | undefined, defaultMode: number | undefined, what: string): VolumeFile[] {
  const mode = defaultMode ?? 0o644;
  if (!items) return Object.entries(data).map(([k, v]) => ({ path: k, content: v, mode }));
  return items.map((item) => {
    if (!(item.key in data)) throw new ConfigError(`volume item "${item.key}" not in ${what}`);
    return { path: item.path, content: data[item.key], mode: item.mode ?? mode };
  });
}

/**
 * The files of a ConfigMap, Secret, downward API or projected volume; undefined for the kinds
 * that are directories (emptyDir, persistentVolumeClaim).
 */
export function volumeFiles(volume: any, pod: PodIdentity, sources: Sources): VolumeFile[] | undefined {
  const fromSecret = (s: any, defaultMode?: number) => {
    const name = s.secretName ?? s.name;
    const secret = sources.secret(pod.namespace, name);
    if (!secret) {
      if (s.optional) return [];
      throw new ConfigError(`volume ${volume.name}: secret "${name}" not found (Secrets come from --secrets)`);
    }
    return itemsOf(secretData(secret), s.items, s.defaultMode ?? defaultMode, `secret "${name}"`);
  };
  const fromConfigMap = (c: any, defaultMode?: number) => {
    const cm = sources.configMap(pod.namespace, c.name);
    if (!cm) {
      if (c.optional) return [];
      throw new ConfigError(`volume ${volume.name}: configmap "${c.name}" not found`);
    }
    return itemsOf(configMapData(cm), c.items, c.defaultMode ?? defaultMode, `configmap "${c.name}"`);
  };
  const fromDownward = (d: any, defaultMode?: number) => (d.items ?? []).map((item: any) => {
    if (!item.fieldRef) throw new ConfigError(`volume ${volume.name}: downward API item ${item.path} is not a fieldRef`);
    const fieldPath: string = item.fieldRef.fieldPath;
    const content = fieldPath === 'metadata.labels' || fieldPath === 'metadata.annotations'
      ? Object.entries(fieldPath === 'metadata.labels' ? pod.labels : pod.annotations).map(([k, v]) => `${k}="${v}"`).join('\n')
      : fieldValue(fieldPath, pod);
    return { path: item.path, content, mode: item.mode ?? d.defaultMode ?? defaultMode ?? 0o644 };
  });
  if (volume.secret) return fromSecret(volume.secret);
  if (volume.configMap) return fromConfigMap(volume.configMap);
  if (volume.downwardAPI) return fromDownward(volume.downwardAPI);
  if (volume.projected) {
    return (volume.projected.sources ?? []).flatMap((s: any) => {
      if (s.secret) return fromSecret(s.secret, volume.projected.defaultMode);
      if (s.configMap) return fromConfigMap(s.configMap, volume.projected.defaultMode);
      if (s.downwardAPI) return fromDownward(s.downwardAPI, volume.projected.defaultMode);
      // No API server issues tokens here: the file says so, and a program that uses it fails visibly.
      if (s.serviceAccountToken) return [{ path: s.serviceAccountToken.path, content: 'no-token: this harness has no API server', mode: 0o644 }];
      return [];
    });
  }
  return undefined;
}

/**
 * Writes a ConfigMap/Secret-like volume as the kubelet's atomic writer does: the files live in a
 * timestamped directory, `..data` links to it and each top-level name links into `..data`.
 * Owned by root, group fsGroup when set (files then also readable by that group).
 */
export function writeVolumeFiles(dir: string, files: readonly VolumeFile[], fsGroup: number | undefined): void {
  const stamp = '..2001_01_01_00_00_00.000000000';
  const data = path.join(dir, stamp);
  fs.mkdirSync(data, { recursive: true });
  const top = new Set<string>();
  for (const file of files) {
    const target = path.join(data, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
    // With fsGroup the kubelet makes read-only volume files readable by the group (mode | 0440).
    // eslint-disable-next-line no-bitwise
    const mode = fsGroup === undefined ? file.mode : file.mode | 0o440;
    fs.chmodSync(target, mode);
    fs.chownSync(target, 0, fsGroup ?? 0);
    top.add(file.path.split('/')[0]);
  }
  fs.symlinkSync(stamp, path.join(dir, '..data'));
  for (const name of top) fs.symlinkSync(path.join('..data', name), path.join(dir, name));
  for (const d of [dir, data]) {
    fs.chownSync(d, 0, fsGroup ?? 0);
    fs.chmodSync(d, fsGroup === undefined ? 0o755 : 0o2755);
  }
}
