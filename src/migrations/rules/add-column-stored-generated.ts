import { addedColumns, columnConstraint } from './helpers';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'add-column-stored-generated',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: true,
  title: 'ADD COLUMN ... GENERATED ALWAYS AS (...) STORED',
  why: 'A stored generated column is computed for every existing row: the table is rewritten under ACCESS EXCLUSIVE.',
  safeAlternative: 'Add a plain column, fill it for new rows with a trigger, backfill old rows in batches; or compute the value in a view or an expression index.',
  flaggedExample: 'ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;',
  safeExample: 'ALTER TABLE orders ADD COLUMN total_cents bigint;\n-- a trigger sets it on INSERT/UPDATE; backfill in batches',
  minVersion: 12,
  check(statement, context) {
    const { table, columns } = addedColumns(statement);
    if (context.isNew(table)) return [];
    return columns.filter((c) => columnConstraint(c, 'CONSTR_GENERATED'))
      .map((c) => `the stored generated column ${c.colname} rewrites ${table} under ACCESS EXCLUSIVE`);
  },
};
