import * as fs from 'fs';
import { renderReliabilityRules, RULES_MD } from '../../scripts/rules-doc';
import { ReliabilityChecks } from '../../src/checks';

test('GIVEN the rule files WHEN RULES.md is rendered THEN the committed file is current and lists every rule id', () => {
  const rendered = renderReliabilityRules();
  for (const r of ReliabilityChecks.rules()) expect(rendered).toContain(`## ${r.id}`);
  // Run `npx ts-node --transpile-only --project scripts/tsconfig.json scripts/rules-doc.ts` when this fails.
  expect(fs.readFileSync(RULES_MD, 'utf8')).toBe(rendered);
});
