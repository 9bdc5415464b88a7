/** One rule of the Role Patroni's Kubernetes DCS needs. */
export interface PatroniRbacRule {
  readonly resource: string;
  readonly verbs: string[];
}

/**
 * Exactly the API calls Patroni's Kubernetes DCS makes (patroni/dcs/kubernetes.py, 3.0), by mode.
 * Read from the source, where every call goes through `<action>_namespaced_<kind>`:
 * - the state objects (Endpoints, or ConfigMaps with `use_endpoints: false`): `list` and
 *   `watch` (the ObjectCache of `list_namespaced_kind` with a watch), `get`
 *   (`read_namespaced_kind` of the leader), `create` and `patch` (`patch_or_create`);
 *   `deletecollection` is only `patronictl remove`, which a pod never runs: left out;
 * - pods: `list` and `watch` (the member cache) and `patch` (`patch_namespaced_pod`: the role
 *   label and the member annotation of its own pod);
 * - services: `create` with Endpoints only (`_create_config_service`, the headless
 *   `<scope>-config` Service that keeps Kubernetes from cleaning up the config Endpoints).
 * Patroni's own example (kubernetes/patroni_k8s.yaml) grants a few more (`update`, endpoints
 * `list`/`watch` in ConfigMap mode); none of them is called.
 */
export function patroniRbacRules(useEndpoints: boolean): PatroniRbacRule[] {
  const state = ['create', 'get', 'list', 'patch', 'watch'];
  return useEndpoints
    ? [
      { resource: 'endpoints', verbs: state },
      { resource: 'pods', verbs: ['list', 'patch', 'watch'] },
      { resource: 'services', verbs: ['create'] },
    ]
    : [
      { resource: 'configmaps', verbs: state },
      { resource: 'pods', verbs: ['list', 'patch', 'watch'] },
    ];
}
