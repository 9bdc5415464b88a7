import { addedConstraints, declaredColumns } from './helpers';
import { asNode, Fields, relationName, strings } from '../lint/ast';
import { LintStatement, MigrationRuleDefinition } from '../lint/rule';

/** Every foreign key a statement declares, as the referencing columns and the referenced table. */
function foreignKeys(statement: LintStatement): Array<{ table: string; columns: string[]; references: string }> {
  const keys: Array<{ table: string; columns: string[]; references: string }> = [];
  const add = (table: string, c: Fields, column?: string) => {
    if (c.contype !== 'CONSTR_FOREIGN') return;
    const columns = strings(c.fk_attrs);
    keys.push({ table, columns: columns.length > 0 ? columns : column ? [column] : [], references: relationName(c.pktable) });
  };
  const declared = declaredColumns(statement);
  for (const column of declared.columns) for (const c of column.constraints ?? []) add(declared.table, asNode(c, 'Constraint') ?? {}, column.colname);
  if (statement.type === 'CreateStmt') {
    for (const element of statement.fields.tableElts ?? []) add(declared.table, asNode(element, 'Constraint') ?? {});
  }
  const altered = addedConstraints(statement);
  for (const c of altered.constraints) add(altered.table, c);
  return keys;
}

export const rule: MigrationRuleDefinition = {
  id: 'foreign-key-without-index',
  severity: 'warning',
  lock: 'none',
  rewrites: false,
  title: 'A foreign key without an index on the referencing columns (in the linted files)',
  why: 'Every DELETE or key UPDATE on the referenced table scans the referencing table to check for rows (and ON DELETE CASCADE deletes by a scan): slow deletes holding locks.',
  safeAlternative: 'Create an index whose leading columns are the referencing columns (CONCURRENTLY on an existing table).',
  flaggedExample: 'CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));',
  safeExample: 'CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\nCREATE INDEX order_lines_order_id_idx ON order_lines (order_id);',
  check(statement, context) {
    return foreignKeys(statement).filter(({ table, columns }) => columns.length > 0
      && !context.indexesOn(table).some((index) => columns.every((column, i) => index[i] === column)))
      .map(({ table, columns, references }) => `no index on ${table} (${columns.join(', ')}) for its foreign key to ${references} in these migrations`);
  },
};
