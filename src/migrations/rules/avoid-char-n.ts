import { declaredTypes, isType } from './type-hygiene';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'avoid-char-n',
  severity: 'info',
  lock: 'none',
  rewrites: false,
  title: 'char(n)',
  why: 'char(n) pads values with spaces, compares ignoring them and is no faster than text: surprising equality and wasted space.',
  safeAlternative: 'Use text (with a CHECK on length if needed).',
  flaggedExample: 'ALTER TABLE customers ADD COLUMN country char(2);',
  safeExample: 'ALTER TABLE customers ADD COLUMN country text CHECK (length(country) = 2);',
  check(statement) {
    return declaredTypes(statement).filter((t) => isType(t.typeName, 'bpchar'))
      .map((t) => `${t.table}.${t.column} is char(n); use text`);
  },
};
