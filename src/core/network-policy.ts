/** Who may connect: pods or namespaces selected by labels (a NetworkPolicy peer). */
export class NetworkPeer {
  /** Every pod of the namespace called `name` (its `kubernetes.io/metadata.name` label). */
  public static namespaceNamed(name: string): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }, `namespace ${name}`);
  }

  /** Every pod of the namespaces carrying these labels. */
  public static namespacesLabelled(labels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: { matchLabels: labels } }, `namespaces ${JSON.stringify(labels)}`);
  }

  /** Every pod of the policy's own namespace. */
  public static sameNamespace(): NetworkPeer {
    return new NetworkPeer({ podSelector: {} }, 'every pod of the namespace');
  }

  /** Pods with these labels in the policy's own namespace. */
  public static pods(labels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer({ podSelector: { matchLabels: labels } }, `pods ${JSON.stringify(labels)}`);
  }

  /** Pods with these labels in the namespace called `namespaceName`. */
  public static podsInNamespace(namespaceName: string, labels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespaceName } },
      podSelector: { matchLabels: labels },
    }, `pods ${JSON.stringify(labels)} in namespace ${namespaceName}`);
  }

  private constructor(
    /** @internal the NetworkPolicy peer */
    public readonly _peer: object,
    /** What it allows, for documentation and errors. */
    public readonly description: string,
  ) {}
}
