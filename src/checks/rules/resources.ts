import { isCnpg, podSpecOf, workloadsOf } from '../app-view';
import { RawFinding, Rule, RuleLevel } from '../rule';

function missing(resources: any): string[] {
  const r = resources ?? {};
  return [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'memory']].filter(([k, v]) => r[k]?.[v] === undefined).map(([k, v]) => `${k}.${v}`);
}

export const NO_RESOURCES: Rule = {
  id: 'PGR-POD-001',
  level: RuleLevel.WARNING,
  name: 'A database, pooler or exporter container has no CPU/memory requests or memory limit',
  explanation: 'Without requests the scheduler packs the database next to noisy pods and evicts it first under pressure (BestEffort); without a memory limit one runaway query can take the node.',
  fix: 'Set resources.requests.cpu, requests.memory and limits.memory on the container (spec.resources for a CNPG Cluster).',
  check: (app) => workloadsOf(app).flatMap((w): RawFinding[] => {
    const m = w.object.manifest;
    if (isCnpg(m, 'Cluster')) {
      const gaps = missing(m.spec?.resources);
      return gaps.length ? [{ object: w.object, message: `spec.resources lacks ${gaps.join(', ')}` }] : [];
    }
    const pod = isCnpg(m, 'Pooler') ? m.spec?.template?.spec : podSpecOf(m);
    return (pod?.containers ?? []).flatMap((c: any) => {
      const gaps = missing(c.resources);
      return gaps.length ? [{ object: w.object, message: `container ${c.name} lacks ${gaps.join(', ')}` }] : [];
    });
  }),
};
