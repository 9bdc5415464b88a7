import { defElemNames } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'reindex-non-concurrent',
  severity: 'error',
  lock: 'ShareLock',
  rewrites: false,
  title: 'REINDEX without CONCURRENTLY',
  why: 'REINDEX blocks writes to the table (SHARE) and locks each index ACCESS EXCLUSIVE (queries using it wait) for the whole rebuild.',
  safeAlternative: 'REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction.',
  flaggedExample: 'REINDEX TABLE orders;',
  safeExample: 'REINDEX TABLE CONCURRENTLY orders;',
  minVersion: 12,
  check(statement) {
    if (statement.type !== 'ReindexStmt' || defElemNames(statement.fields.params).includes('concurrently')) return [];
    if (statement.fields.kind === 'REINDEX_OBJECT_SYSTEM') return [];
    return ['REINDEX blocks writes for the whole rebuild; use REINDEX ... CONCURRENTLY'];
  },
};
