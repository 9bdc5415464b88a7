import { isCnpg, ofKind } from '../app-view';
import { RawFinding, Rule, RuleLevel } from '../rule';

export const SYNCHRONOUS_TOO_FEW_INSTANCES: Rule = {
  id: 'PGR-HA-005',
  level: RuleLevel.ERROR,
  name: 'Synchronous replication asks for more standbys than the cluster can spare',
  explanation: 'When the synchronous standbys required equal the standbys there are, losing or restarting one standby blocks every commit on the primary.',
  fix: 'Run at least one more standby than the synchronous number (instances >= number + 2), or lower the number.',
  check: (app) => ofKind(app, 'Cluster').filter((o) => isCnpg(o.manifest, 'Cluster')).flatMap((object): RawFinding[] => {
    const spec = object.manifest.spec ?? {};
    const standbys = (spec.instances ?? 1) - 1;
    const required = spec.postgresql?.synchronous?.number ?? spec.minSyncReplicas ?? 0;
    const durabilityRelaxed = spec.postgresql?.synchronous?.dataDurability === 'preferred';
    if (required === 0 || durabilityRelaxed || required < standbys) return [];
    return [{ object, message: `${required} synchronous standby(s) required out of ${standbys}: one standby down blocks writes` }];
  }),
};
