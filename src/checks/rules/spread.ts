import { isCnpg, podSpecOf, workloadsOf } from '../app-view';
import { Rule, RuleLevel } from '../rule';

export const NO_SPREAD: Rule = {
  id: 'PGR-HA-004',
  level: RuleLevel.WARNING,
  name: 'Replicas of a database or pooler may all land on one node',
  explanation: 'The scheduler may put every replica on the same node or zone: one node failure then takes the whole database or pooler down, and the replicas bought nothing.',
  fix: 'Add pod anti-affinity or topologySpreadConstraints on kubernetes.io/hostname (and zone); for CNPG keep affinity.enablePodAntiAffinity.',
  check: (app) => workloadsOf(app).filter((w) => (w.role === 'database' || w.role === 'pooler') && w.replicas >= 2).flatMap((w) => {
    const m = w.object.manifest;
    if (isCnpg(m, 'Cluster')) return m.spec?.affinity?.enablePodAntiAffinity === false ? [{ object: w.object, message: 'affinity.enablePodAntiAffinity is false' }] : [];
    const pod = isCnpg(m, 'Pooler') ? m.spec?.template?.spec : podSpecOf(m);
    const spread = (pod?.topologySpreadConstraints ?? []).length > 0 || pod?.affinity?.podAntiAffinity;
    return spread ? [] : [{ object: w.object, message: `${w.replicas} replicas with neither pod anti-affinity nor topology spread` }];
  }),
};
