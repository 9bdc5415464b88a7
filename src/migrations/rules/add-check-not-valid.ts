import { addedConstraints } from './helpers';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'add-check-not-valid',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'ADD CONSTRAINT CHECK without NOT VALID on an existing table',
  why: 'Adding a CHECK scans the whole table to validate it while holding ACCESS EXCLUSIVE: no reads or writes for the duration of the scan.',
  safeAlternative: 'Add it NOT VALID (a short lock, no scan; new rows are checked), then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on).',
  flaggedExample: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);',
  safeExample: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;',
  check(statement, context) {
    const { table, constraints } = addedConstraints(statement);
    if (context.isNew(table)) return [];
    return constraints.filter((c) => c.contype === 'CONSTR_CHECK' && !c.skip_validation)
      .map((c) => `CHECK ${c.conname ?? ''} on ${table} is validated under ACCESS EXCLUSIVE; add it NOT VALID, then VALIDATE CONSTRAINT`.replace('  ', ' '));
  },
};
