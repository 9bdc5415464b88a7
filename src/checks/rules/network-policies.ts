import { selecting, workloadsOf, Workload, CheckedApp } from '../app-view';
import { RawFinding, Rule, RuleLevel } from '../rule';

function uncovered(app: CheckedApp, roles: string[]): Workload[] {
  return workloadsOf(app).filter((w) => roles.includes(w.role) && w.object.manifest.kind !== 'Cluster'
    && selecting(app, w.object, 'NetworkPolicy', (np) => np.spec?.podSelector).length === 0);
}

export const EXPORTER_WITHOUT_NETWORK_POLICY: Rule = {
  id: 'PGR-NET-001',
  level: RuleLevel.WARNING,
  name: 'A postgres_exporter runs without a NetworkPolicy',
  explanation: 'The exporter holds a database login and answers anyone in the cluster: its metrics reveal database names, sizes and settings, and it is a path to the database.',
  fix: 'Add a NetworkPolicy that admits only Prometheus to the metrics port (PostgresExporter creates one by default).',
  check: (app) => uncovered(app, ['exporter']).map((w): RawFinding => ({ object: w.object, message: 'no NetworkPolicy selects the exporter pods' })),
};

export const DATABASE_WITHOUT_NETWORK_POLICY: Rule = {
  id: 'PGR-NET-002',
  level: RuleLevel.WARNING,
  name: 'A database or pooler runs without a NetworkPolicy',
  explanation: 'Any pod in the cluster can reach port 5432: the password is then the only barrier, and a compromised unrelated pod can try it without limit.',
  fix: 'Add a NetworkPolicy admitting only the application, pooler and backup pods (the library\'s constructs create one; NetworkPolicies of core/network-policy.ts help).',
  check: (app) => uncovered(app, ['database', 'pooler']).map((w): RawFinding => ({ object: w.object, message: `no NetworkPolicy selects the pods of ${w.object.manifest.kind} ${w.object.manifest.metadata?.name}` })),
};
