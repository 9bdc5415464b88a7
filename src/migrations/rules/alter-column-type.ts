import { alterTable } from './helpers';
import { hasTypmods, typeNameOf } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'alter-column-type',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: true,
  title: 'ALTER COLUMN TYPE that rewrites the table',
  why: 'Changing a column\'s type rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE, unless the types are binary coercible (varchar(n) to text or to a longer varchar).',
  safeAlternative: 'Add a new column of the new type, write both from the application (or a trigger), backfill in batches, switch reads, then drop the old column.',
  flaggedExample: 'ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;',
  safeExample: 'ALTER TABLE orders ADD COLUMN quantity_big bigint;\n-- dual-write with a trigger, backfill in batches, switch reads, drop quantity',
  check(statement, context) {
    const { table, cmds } = alterTable(statement);
    if (context.isNew(table)) return [];
    return cmds.filter((c) => c.subtype === 'AT_AlterColumnType').filter((c) => {
      const typeName = c.def?.ColumnDef?.typeName;
      const name = typeNameOf(typeName);
      // text and unbounded varchar are binary coercible from varchar: a catalog change only.
      return !((name === 'text' || name === 'varchar') && !hasTypmods(typeName) && !c.def?.ColumnDef?.raw_default);
    }).map((c) => `ALTER COLUMN ${c.name} TYPE ${typeNameOf(c.def?.ColumnDef?.typeName)} rewrites ${table} and its indexes under ACCESS EXCLUSIVE`);
  },
};
