import { workloadsOf } from '../app-view';
import { Rule, RuleLevel } from '../rule';

/** Labels that mark an object as production (`environment`, `env`, `tier`). */
export function markedProduction(manifest: any): boolean {
  const labels = manifest.metadata?.labels ?? {};
  return ['environment', 'env', 'app.kubernetes.io/environment'].some((k) => /^prod(uction)?$/i.test(String(labels[k] ?? '')));
}

export const SINGLE_INSTANCE_IN_PRODUCTION: Rule = {
  id: 'PGR-HA-001',
  level: RuleLevel.ERROR,
  name: 'A production database runs a single instance',
  explanation: 'One instance means every node drain, image update or node failure is an outage, and a lost volume loses everything since the last backup.',
  fix: 'Run at least two instances (CNPG instances: 3 is the usual choice), or mark the environment as not production.',
  check: (app) => workloadsOf(app)
    .filter((w) => w.role === 'database' && w.replicas < 2 && (app.production || markedProduction(w.object.manifest)))
    .map((w) => ({ object: w.object, message: `${w.object.manifest.kind} ${w.object.manifest.metadata?.name} runs ${w.replicas} instance in production` })),
};
