import { relationName } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'rename-column',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'RENAME COLUMN',
  why: 'The running application still uses the old name: every query naming it fails from the moment the migration commits until the new code is everywhere.',
  safeAlternative: 'Expand and contract: add the new column, write both, backfill, move reads, then drop the old column in a later release.',
  flaggedExample: 'ALTER TABLE orders RENAME COLUMN total TO amount;',
  safeExample: 'ALTER TABLE orders ADD COLUMN amount numeric;\n-- dual-write, backfill in batches, move reads; drop total in a later release',
  check(statement, context) {
    const f = statement.fields;
    if (statement.type !== 'RenameStmt' || f.renameType !== 'OBJECT_COLUMN' || context.isNew(relationName(f.relation))) return [];
    return [`renaming ${relationName(f.relation)}.${f.subname} to ${f.newname} breaks every running query that names ${f.subname}`];
  },
};
