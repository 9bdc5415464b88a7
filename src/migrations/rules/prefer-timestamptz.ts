import { declaredTypes, isType } from './type-hygiene';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'prefer-timestamptz',
  severity: 'info',
  lock: 'none',
  rewrites: false,
  title: 'timestamp without time zone',
  why: 'timestamp stores a wall-clock reading without its zone: values written by sessions in different time zones (or across a DST change) cannot be compared.',
  safeAlternative: 'Use timestamptz (timestamp with time zone): it stores an instant.',
  flaggedExample: 'ALTER TABLE orders ADD COLUMN shipped_at timestamp;',
  safeExample: 'ALTER TABLE orders ADD COLUMN shipped_at timestamptz;',
  check(statement) {
    return declaredTypes(statement).filter((t) => isType(t.typeName, 'timestamp'))
      .map((t) => `${t.table}.${t.column} is timestamp without time zone; use timestamptz`);
  },
};
