import * as fs from 'fs';
import { renderRulesDoc, RULES_DOC } from '../../scripts/migration-rules-doc';

describe('docs/migration-rules.md', () => {
  test('GIVEN the rule files WHEN the rules table is rendered THEN the committed doc is current (run scripts/migration-rules-doc.ts otherwise)', () => {
    expect(fs.readFileSync(RULES_DOC, 'utf8')).toBe(renderRulesDoc());
  });
});
