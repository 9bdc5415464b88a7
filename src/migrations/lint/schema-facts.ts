import { asNode, columnConstraints, Fields, fieldsOf, findAll, nodeType, relationName, strings } from './ast';

/**
 * What a file says about its own schema, read from its statements: the tables it creates and
 * the indexes it defines (CREATE INDEX, PRIMARY KEY and UNIQUE constraints), by leading columns.
 */
export class SchemaFacts {
  private readonly indexes = new Map<string, string[][]>();
  private readonly views = new Set<string>();

  constructor(statements: readonly Fields[]) {
    for (const stmt of statements) this.collectIndexes(stmt);
  }

  public definesView(name: string): boolean {
    return this.views.has(name);
  }

  public indexesOn(table: string): readonly (readonly string[])[] {
    return this.indexes.get(table) ?? [];
  }

  private addIndex(table: string, columns: string[]): void {
    if (!table || columns.length === 0) return;
    const list = this.indexes.get(table) ?? [];
    list.push(columns);
    this.indexes.set(table, list);
  }

  private collectIndexes(stmt: Fields): void {
    const type = nodeType(stmt);
    const node = fieldsOf(stmt);
    if (type === 'ViewStmt') this.views.add(relationName(node.view));
    if (type === 'IndexStmt') {
      const columns = (node.indexParams ?? []).map((p: unknown) => asNode(p, 'IndexElem')?.name).filter((n: unknown) => typeof n === 'string');
      this.addIndex(relationName(node.relation), columns);
    } else if (type === 'CreateStmt') {
      const table = relationName(node.relation);
      for (const element of node.tableElts ?? []) {
        const column = asNode(element, 'ColumnDef');
        if (column) {
          for (const c of columnConstraints(column)) {
            if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') this.addIndex(table, [column.colname]);
          }
        }
        const constraint = asNode(element, 'Constraint');
        if (constraint) this.addConstraintIndex(table, constraint);
      }
    } else if (type === 'AlterTableStmt') {
      const table = relationName(node.relation);
      for (const c of findAll(node.cmds, 'Constraint')) this.addConstraintIndex(table, c);
    }
  }

  private addConstraintIndex(table: string, constraint: Fields): void {
    if (constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE') {
      this.addIndex(table, strings(constraint.keys));
    }
  }
}

/** Whether `expr` is `column IS NOT NULL` (a NullTest), returning the column. */
export function notNullTestColumn(expr: unknown): string | undefined {
  const test = asNode(expr, 'NullTest');
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = strings(asNode(test.arg, 'ColumnRef')?.fields);
  return fields[fields.length - 1];
}
