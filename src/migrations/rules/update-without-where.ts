import { relationName } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'update-without-where',
  severity: 'warning',
  lock: 'RowExclusiveLock',
  rewrites: false,
  title: 'UPDATE of a whole table in one statement (a backfill without batches)',
  why: 'One UPDATE of every row locks every row until it commits (concurrent updates of any of them wait), doubles the table on disk, and makes one huge WAL burst replicas must replay.',
  safeAlternative: 'Backfill in keyed batches (a few thousand rows), each its own transaction, with a pause between them; make it idempotent (WHERE col IS NULL).',
  flaggedExample: "UPDATE orders SET currency = 'EUR';",
  safeExample: "UPDATE orders SET currency = 'EUR' WHERE id >= 1 AND id < 5001 AND currency IS NULL;  -- then the next batch",
  check(statement, context) {
    const table = relationName(statement.fields.relation);
    if (statement.type !== 'UpdateStmt' || statement.fields.whereClause || context.isNew(table)) return [];
    return [`UPDATE ${table} without WHERE locks every row until it commits; backfill in keyed batches`];
  },
};
