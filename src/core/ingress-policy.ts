import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from './errors';
import { NetworkPeer } from './network-policy';

/** One ingress rule: these TCP ports, from these peers (none: from anywhere). */
export interface IngressRule {
  readonly ports: () => number[];
  readonly from?: NetworkPeer[];
}

/**
 * A NetworkPolicy admitting only the given ingress to the pods with `podLabels` (every port of
 * those pods that no rule names is closed). Ports are read at synth, so containers added later
 * count. `name` names the policy (a construct with a `name` prop names everything it creates).
 */
export function ingressPolicy(scope: Construct, id: string, podLabels: { [key: string]: string }, rules: IngressRule[], name?: string): ApiObject {
  if (Object.keys(podLabels).length === 0) throw propError(scope, 'networkPolicy', 'no pod labels', 'a NetworkPolicy needs labels that select the pods; give the workload labels or turn networkPolicy off');
  return new ApiObject(scope, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    ...(name !== undefined ? { metadata: { name } } : {}),
    spec: {
      podSelector: { matchLabels: podLabels },
      policyTypes: ['Ingress'],
      ingress: Lazy.any({
        produce: () => rules
          .map((rule) => ({ ports: [...new Set(rule.ports())].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port })), from: rule.from?.map((peer) => peer._peer) }))
          .filter((rule) => rule.ports.length > 0)
          .map((rule) => (rule.from ? rule : { ports: rule.ports })),
      }),
    },
  });
}
