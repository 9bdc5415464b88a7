import { ofKind } from '../app-view';
import { Rule, RuleLevel } from '../rule';

export const SECRET_VALUE_IN_OUTPUT: Rule = {
  id: 'PGR-SEC-001',
  level: RuleLevel.ERROR,
  name: 'A Secret with its value is part of the synthesized YAML',
  explanation: 'The YAML goes to git and CI logs: a password in a Secret\'s data (base64 is not encryption) is readable by everyone who can read the repository, forever.',
  fix: 'Reference existing Secrets (Secret.fromSecretName) created by a secret manager (External Secrets, Sealed Secrets, the operator), never write their data.',
  check: (app) => ofKind(app, 'Secret')
    .filter((o) => Object.keys(o.manifest.data ?? {}).length + Object.keys(o.manifest.stringData ?? {}).length > 0)
    .map((object) => ({ object, message: `Secret ${object.manifest.metadata?.name} carries keys ${[...Object.keys(object.manifest.data ?? {}), ...Object.keys(object.manifest.stringData ?? {})].join(', ')}` })),
};
