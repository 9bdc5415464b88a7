import { podSpecOf, workloadsOf } from '../app-view';
import { Rule, RuleLevel } from '../rule';

export const DATABASE_WITHOUT_VOLUME: Rule = {
  id: 'PGR-HA-006',
  level: RuleLevel.ERROR,
  name: 'A database Deployment or StatefulSet keeps its data outside a PersistentVolumeClaim',
  explanation: 'A database in a Deployment, or a StatefulSet without volumeClaimTemplates, loses its data directory on every reschedule.',
  fix: 'Run PostgreSQL in a StatefulSet with a volumeClaimTemplate for PGDATA (or use CNPG / PatroniCluster).',
  check: (app) => workloadsOf(app).filter((w) => w.role === 'database' && ['Deployment', 'StatefulSet'].includes(w.object.manifest.kind)).flatMap((w) => {
    const m = w.object.manifest;
    const claims = m.kind === 'StatefulSet' ? (m.spec?.volumeClaimTemplates ?? []).length : 0;
    const mounted = (podSpecOf(m)?.volumes ?? []).some((v: any) => v.persistentVolumeClaim);
    return claims > 0 || mounted ? [] : [{ object: w.object, message: `${m.kind} ${m.metadata?.name} runs PostgreSQL with no PersistentVolumeClaim` }];
  }),
};
