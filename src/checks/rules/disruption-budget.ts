import { isCnpg, selecting, workloadsOf } from '../app-view';
import { Rule, RuleLevel } from '../rule';

export const NO_DISRUPTION_BUDGET: Rule = {
  id: 'PGR-HA-002',
  level: RuleLevel.ERROR,
  name: 'A replicated database or pooler has no PodDisruptionBudget',
  explanation: 'Without a budget a node drain may evict every replica at once: the pooler or the database goes down during routine cluster maintenance.',
  fix: 'Add a PodDisruptionBudget selecting the pods (maxUnavailable: 1); for a CNPG Cluster keep enablePDB true.',
  check: (app) => workloadsOf(app).filter((w) => (w.role === 'database' || w.role === 'pooler') && w.replicas >= 2).flatMap((w) => {
    const m = w.object.manifest;
    if (isCnpg(m, 'Cluster')) {
      return m.spec?.enablePDB === false ? [{ object: w.object, message: 'enablePDB is false' }] : [];
    }
    const budgets = selecting(app, w.object, 'PodDisruptionBudget', (pdb) => pdb.spec?.selector);
    return budgets.length > 0 ? [] : [{ object: w.object, message: `no PodDisruptionBudget selects the pods of ${m.kind} ${m.metadata?.name}` }];
  }),
};
