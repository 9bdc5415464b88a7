import { relationName } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'delete-without-where',
  severity: 'warning',
  lock: 'RowExclusiveLock',
  rewrites: false,
  title: 'DELETE of a whole table in one statement',
  why: 'One DELETE of every row locks every row until it commits, leaves the table full of dead rows for vacuum, and is rarely what a migration means.',
  safeAlternative: 'Delete in keyed batches, each its own transaction; to empty a table nobody uses, TRUNCATE it (naming every table).',
  flaggedExample: 'DELETE FROM sessions;',
  safeExample: 'DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() LIMIT 5000);',
  check(statement, context) {
    const table = relationName(statement.fields.relation);
    if (statement.type !== 'DeleteStmt' || statement.fields.whereClause || context.isNew(table)) return [];
    return [`DELETE FROM ${table} without WHERE locks every row until it commits; delete in batches`];
  },
};
