import { asNode, columnConstraints, Fields, relationName } from '../lint/ast';
import { LintStatement } from '../lint/rule';

/** An ALTER TABLE's table and its subcommands (empty for any other statement). */
export function alterTable(statement: LintStatement): { table: string; cmds: Fields[] } {
  if (statement.type !== 'AlterTableStmt' || statement.fields.objtype !== 'OBJECT_TABLE') return { table: '', cmds: [] };
  const cmds = (statement.fields.cmds ?? []).map((c: unknown) => asNode(c, 'AlterTableCmd')).filter(Boolean) as Fields[];
  return { table: relationName(statement.fields.relation), cmds };
}

/** The constraints an ALTER TABLE adds (ADD CONSTRAINT), with the table. */
export function addedConstraints(statement: LintStatement): { table: string; constraints: Fields[] } {
  const { table, cmds } = alterTable(statement);
  const constraints = cmds.filter((c) => c.subtype === 'AT_AddConstraint').map((c) => asNode(c.def, 'Constraint')).filter(Boolean) as Fields[];
  return { table, constraints };
}

/** The columns an ALTER TABLE adds (ADD COLUMN), with the table. */
export function addedColumns(statement: LintStatement): { table: string; columns: Fields[] } {
  const { table, cmds } = alterTable(statement);
  const columns = cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => asNode(c.def, 'ColumnDef')).filter(Boolean) as Fields[];
  return { table, columns };
}

/** A column's constraint of the given kind (CONSTR_DEFAULT, CONSTR_NOTNULL, ...). */
export function columnConstraint(column: Fields, contype: string): Fields | undefined {
  return columnConstraints(column).find((c) => c.contype === contype);
}

/** Every column definition a statement declares: CREATE TABLE columns and ADD COLUMN. */
export function declaredColumns(statement: LintStatement): { table: string; columns: Fields[] } {
  if (statement.type === 'CreateStmt') {
    const columns = (statement.fields.tableElts ?? []).map((e: unknown) => asNode(e, 'ColumnDef')).filter(Boolean) as Fields[];
    return { table: relationName(statement.fields.relation), columns };
  }
  return addedColumns(statement);
}
