import { ofKind, selects, podLabelsOf, workloadsOf, namespaceOf } from '../app-view';
import { RawFinding, Rule, RuleLevel } from '../rule';

export const DISRUPTION_BUDGET_BLOCKS_DRAINS: Rule = {
  id: 'PGR-HA-003',
  level: RuleLevel.WARNING,
  name: 'A PodDisruptionBudget allows no pod of a database or pooler to be evicted',
  explanation: 'maxUnavailable 0, or minAvailable equal to the replicas, blocks every node drain: cluster upgrades stall until someone deletes the budget by hand.',
  fix: 'Use maxUnavailable: 1 (or minAvailable below the replica count).',
  check: (app) => {
    const found: RawFinding[] = [];
    for (const w of workloadsOf(app).filter((x) => x.role === 'database' || x.role === 'pooler')) {
      for (const pdb of ofKind(app, 'PodDisruptionBudget')) {
        const spec = pdb.manifest.spec ?? {};
        if (namespaceOf(pdb.manifest) !== namespaceOf(w.object.manifest) || !selects(spec.selector, podLabelsOf(w.object.manifest))) continue;
        const zero = spec.maxUnavailable === 0 || spec.maxUnavailable === '0%'
          || (typeof spec.minAvailable === 'number' && spec.minAvailable >= w.replicas) || spec.minAvailable === '100%';
        if (zero) found.push({ object: pdb, message: `allows no eviction of the ${w.replicas} pods of ${w.object.manifest.metadata?.name}` });
      }
    }
    return found;
  },
};
