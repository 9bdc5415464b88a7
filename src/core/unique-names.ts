import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { addSynthValidation, renderedForChecks } from './synth-scope';

/**
 * Kinds without a namespace: their names are unique in the whole cluster.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#not-all-objects-are-in-a-namespace
 */
const CLUSTER_SCOPED = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterImageCatalog', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CSIDriver', 'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration', 'Namespace',
  'Node', 'PersistentVolume', 'PriorityClass', 'PriorityLevelConfiguration', 'RuntimeClass', 'StorageClass',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'VolumeAttachment', 'VolumeSnapshotClass',
]);
/**
 * Kinds (by `group/kind`) whose name is also a Service's, a DNS-1035 label (starts with a letter),
 * with their length limit: CloudNativePG names a Cluster's Services `<name>-rw` and refuses
 * cluster names over 50 characters; a Pooler's Service takes its name.
 */
const SERVICE_NAMED: Record<string, number> = { '/Service': 63, 'postgresql.cnpg.io/Pooler': 63, 'postgresql.cnpg.io/Cluster': 50 };
/** RBAC names are path segments ("system:monitoring" is valid), not DNS names. */
const RBAC = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Emitted { readonly path: string; readonly kind: string; readonly namespace?: string; readonly name: string }

const registered = new WeakSet<IConstruct>();

/**
 * Checks at synth that every object of the app has a valid name and that no two objects share
 * kind, namespace and name (the second would overwrite the first when applied). Call it from any
 * construct that emits objects: it registers one validation on the app root, whatever the number
 * of callers, and the scan runs once per synth although cdk8s validates the app once per chart.
 * Names are read from the synthesized JSON, so Lazy names and JSON patches count.
 */
export function checkUniqueNames(scope: IConstruct): void {
  const root = scope.node.root;
  if (registered.has(root)) return;
  registered.add(root);
  addSynthValidation(root, () => scan(root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c))));
}

function scan(objects: ApiObject[]): string[] {
  const errors: string[] = [];
  const seen = new Map<string, Emitted>();
  for (const object of objects) {
    const json = identity(object);
    const name = json?.metadata?.name;
    if (typeof name !== 'string') continue; // generateName, or no name: the API server names it
    const kind = String(json.kind);
    const group = String(json.apiVersion ?? '').split('/').slice(0, -1).join('/');
    const namespace = CLUSTER_SCOPED.has(kind) ? undefined : json.metadata?.namespace as string | undefined;
    const emitted: Emitted = { path: object.node.path, kind, namespace, name };
    const invalid = nameProblem(group, kind, name);
    if (invalid) errors.push(`${describe(emitted)}, emitted by ${emitted.path}, has an invalid name: ${invalid}. Give it a valid name (its name prop, or a construct id the name derives from)`);
    const key = `${group}/${kind}\0${namespace ?? ''}\0${name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, emitted);
      continue;
    }
    errors.push(`${describe(emitted)} is emitted twice, by ${first.path} and by ${emitted.path}: Kubernetes keeps one object per kind, namespace and name, `
      + 'so one would overwrite the other. Give one of them another name (its name prop, or another construct id where the name derives from it)');
  }
  return errors;
}

/**
 * What the object will be emitted as, as far as names go. Read off the object when nothing can
 * change it on the way out (no JSON patch, plain string name and namespace); rendered otherwise,
 * so Lazy names and patches count. Rendering every object of the app would double the synth.
 */
function identity(object: ApiObject): { kind?: string; apiVersion?: string; metadata?: { name?: unknown; namespace?: unknown } } {
  // `patches` is private to cdk8s' ApiObject: when it cannot be read, render.
  const patches: unknown[] | undefined = (object as any).patches;
  const { name, namespace } = object.metadata;
  if (Array.isArray(patches) && patches.length === 0 && typeof name === 'string' && (namespace === undefined || typeof namespace === 'string')) {
    return { kind: object.kind, apiVersion: object.apiVersion, metadata: { name, namespace } };
  }
  return renderedForChecks(object);
}

function describe(e: Emitted): string {
  const where = CLUSTER_SCOPED.has(e.kind) ? ' (cluster-scoped)' : e.namespace === undefined ? ' (no namespace: the one it is applied to)' : ` in namespace "${e.namespace}"`;
  return `${e.kind} "${e.name}"${where}`;
}

/** Why Kubernetes (or CloudNativePG, for its kinds) would refuse the name, or undefined. */
function nameProblem(group: string, kind: string, name: string): string | undefined {
  if (RBAC.has(kind)) return name === '' || name === '.' || name === '..' || /[/%]/.test(name) ? 'RBAC names cannot be empty, "." or "..", or contain "/" or "%"' : undefined;
  const max = SERVICE_NAMED[`${group}/${kind}`];
  if (max !== undefined) {
    return name.length <= max && LABEL.test(name) && /^[a-z]/.test(name) ? undefined
      : `${kind === 'Service' ? 'a Service name must be' : `a ${kind} name is also a Service name, so`} a DNS-1035 label of at most ${max} characters (lower-case letters, digits and "-", starting with a letter)`;
  }
  return name.length <= 253 && name.split('.').every((l) => LABEL.test(l)) ? undefined
    : 'expected a DNS-1123 subdomain: at most 253 characters of lower-case labels joined by "."';
}
