import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'drop-table',
  severity: 'warning',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'DROP TABLE',
  why: 'Code still using the table fails, the data is gone (only a backup brings it back), and the ACCESS EXCLUSIVE lock queues behind long queries.',
  safeAlternative: 'Stop using the table in a release first; rename it aside (or revoke access) for a while, then drop it in a later migration.',
  flaggedExample: 'DROP TABLE order_archive;',
  safeExample: '-- lint-migrations: allow drop-table unused since release 42, backed up to the archive bucket\nDROP TABLE order_archive;',
  check(statement, context) {
    if (statement.type !== 'DropStmt' || statement.fields.removeType !== 'OBJECT_TABLE') return [];
    const table = statement.lock.relation;
    if (context.isNew(table)) return [];
    return [`DROP TABLE ${table} breaks code that still uses it and loses its data`];
  },
};
