import { alterTable, declaredColumns } from './helpers';
import { asNode, Fields, typeNameOf } from '../lint/ast';
import { LintStatement } from '../lint/rule';

/** Every column type a statement declares: CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE. */
export function declaredTypes(statement: LintStatement): Array<{ table: string; column: string; typeName: Fields }> {
  const { table, columns } = declaredColumns(statement);
  const found = columns.map((c) => ({ table, column: String(c.colname), typeName: c.typeName as Fields }));
  const altered = alterTable(statement);
  for (const cmd of altered.cmds.filter((c) => c.subtype === 'AT_AlterColumnType')) {
    const typeName = asNode(cmd.def, 'ColumnDef')?.typeName;
    if (typeName) found.push({ table: altered.table, column: String(cmd.name), typeName });
  }
  return found.filter((t) => t.typeName);
}

/** Whether the type is `typeName` (last name part, e.g. `timestamp`, `bpchar`). */
export function isType(typeName: Fields, ...names: string[]): boolean {
  return names.includes(typeNameOf(typeName));
}
