import { relationName } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'create-index-non-concurrent',
  severity: 'error',
  lock: 'ShareLock',
  rewrites: false,
  title: 'CREATE INDEX without CONCURRENTLY on an existing table',
  why: 'The build holds a SHARE lock for its whole duration: every INSERT, UPDATE and DELETE on the table waits, for minutes on a large table.',
  safeAlternative: 'Build it with CREATE INDEX CONCURRENTLY, outside a transaction; if it fails, drop the INVALID index and retry.',
  flaggedExample: 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);',
  safeExample: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
  check(statement, context) {
    if (statement.type !== 'IndexStmt' || statement.fields.concurrent) return [];
    const table = relationName(statement.fields.relation);
    if (context.isNew(table)) return [];
    return [`CREATE INDEX on ${table} blocks writes to it until the index is built; use CREATE INDEX CONCURRENTLY`];
  },
};
