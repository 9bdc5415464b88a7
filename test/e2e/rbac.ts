import { KubeObject, namespaceOf } from './manifests';

/**
 * What a ServiceAccount may do with the Kubernetes API according to the manifests' RoleBindings and
 * ClusterRoleBindings (e.g. `Role app-db-patroni: get, list, patch endpoints, pods`), or undefined
 * when nothing in them grants it anything. A pod running as such an account talks to the API
 * server (why else grant it), which this harness does not have.
 */
export function apiAccessOf(objects: readonly KubeObject[], namespace: string, serviceAccount: string): string | undefined {
  const grants: string[] = [];
  for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    const bound = (binding.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === serviceAccount
      && (s.namespace ?? namespaceOf(binding)) === namespace);
    if (!bound || (binding.kind === 'RoleBinding' && namespaceOf(binding) !== namespace)) continue;
    const ref = binding.roleRef ?? {};
    const role = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (ref.kind === 'ClusterRole' || namespaceOf(o) === namespace));
    const rules: any[] = role?.rules ?? [];
    const verbs = [...new Set(rules.flatMap((r) => r.verbs ?? []))].sort();
    const resources = [...new Set(rules.flatMap((r) => r.resources ?? []))].sort();
    grants.push(rules.length > 0 ? `${ref.kind} ${ref.name}: ${verbs.join(', ')} on ${resources.join(', ')}` : `${ref.kind} ${ref.name}`);
  }
  return grants.length > 0 ? grants.join('; ') : undefined;
}
