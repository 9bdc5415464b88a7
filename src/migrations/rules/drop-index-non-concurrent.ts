import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'drop-index-non-concurrent',
  severity: 'warning',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'DROP INDEX without CONCURRENTLY',
  why: 'DROP INDEX takes ACCESS EXCLUSIVE on the index\'s table: it waits behind any long query on the table and every query queues behind it.',
  safeAlternative: 'DROP INDEX CONCURRENTLY, outside a transaction (it waits for queries using the index instead of blocking them).',
  flaggedExample: 'DROP INDEX orders_status_idx;',
  safeExample: 'DROP INDEX CONCURRENTLY orders_status_idx;',
  check(statement) {
    if (statement.type !== 'DropStmt' || statement.fields.removeType !== 'OBJECT_INDEX' || statement.fields.concurrent) return [];
    return [`DROP INDEX ${statement.lock.relation} locks its table ACCESS EXCLUSIVE; use DROP INDEX CONCURRENTLY`];
  },
};
