import { relationName } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'rename-table',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'RENAME TABLE without a view under the old name',
  why: 'The running application still uses the old name: its queries fail from the moment the migration commits.',
  safeAlternative: 'Rename, and in the same transaction create a view with the old name (simple views are updatable) until no code uses it; drop the view in a later release.',
  flaggedExample: 'ALTER TABLE orders RENAME TO purchases;',
  safeExample: 'BEGIN;\nALTER TABLE orders RENAME TO purchases;\nCREATE VIEW orders AS SELECT * FROM purchases;\nCOMMIT;',
  check(statement, context) {
    const f = statement.fields;
    if (statement.type !== 'RenameStmt' || f.renameType !== 'OBJECT_TABLE' || context.isNew(relationName(f.relation))) return [];
    // A view with the old name, created in the same file, keeps the running code working.
    if (context.definesView(relationName(f.relation))) return [];
    return [`renaming ${relationName(f.relation)} to ${f.newname} breaks every running query that names it`];
  },
};
