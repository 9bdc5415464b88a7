import { isCnpg, ofKind, selects, podLabelsOf, namespaceOf } from '../app-view';
import { Rule, RuleLevel } from '../rule';

export const CNPG_CLUSTER_NOT_SCRAPED: Rule = {
  id: 'PGR-MON-002',
  level: RuleLevel.WARNING,
  name: 'A CloudNativePG cluster has no PodMonitor scraping it',
  explanation: 'CNPG exposes its metrics but nothing collects them unless a PodMonitor selects the pods (monitoring.enablePodMonitor is deprecated): every alert on the cluster is then silent.',
  fix: 'Add a PodMonitor for the cluster (CnpgCluster creates one unless told not to).',
  check: (app) => ofKind(app, 'Cluster').filter((o) => isCnpg(o.manifest, 'Cluster')).filter((cluster) => {
    if (cluster.manifest.spec?.monitoring?.enablePodMonitor) return false;
    const labels = podLabelsOf(cluster.manifest);
    return !ofKind(app, 'PodMonitor').some((pm) => (pm.manifest.spec?.namespaceSelector?.matchNames ?? [namespaceOf(pm.manifest)]).includes(namespaceOf(cluster.manifest) || namespaceOf(pm.manifest))
      && selects(pm.manifest.spec?.selector, labels));
  }).map((object) => ({ object, message: `no PodMonitor selects cnpg.io/cluster=${object.manifest.metadata?.name}` })),
};
