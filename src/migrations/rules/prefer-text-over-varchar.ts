import { declaredTypes, isType } from './type-hygiene';
import { hasTypmods } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'prefer-text-over-varchar',
  severity: 'info',
  lock: 'none',
  rewrites: false,
  title: 'varchar(n)',
  why: 'varchar(n) is stored like text; the limit only adds a failure mode, and lowering it later scans the table under ACCESS EXCLUSIVE.',
  safeAlternative: 'Use text, with a CHECK (length(col) <= n) if a limit matters (a CHECK can be added NOT VALID and validated online).',
  flaggedExample: 'ALTER TABLE customers ADD COLUMN email varchar(255);',
  safeExample: 'ALTER TABLE customers ADD COLUMN email text;',
  check(statement) {
    return declaredTypes(statement).filter((t) => isType(t.typeName, 'varchar') && hasTypmods(t.typeName))
      .map((t) => `${t.table}.${t.column} is varchar(n); use text (with a CHECK on length if needed)`);
  },
};
