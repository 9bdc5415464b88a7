import { columnConstraint, declaredColumns } from './helpers';
import { asNode, Fields, strings, typeNameOf } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

const SMALL = new Set(['int2', 'int4', 'serial', 'serial4', 'smallserial', 'serial2']);

export const rule: MigrationRuleDefinition = {
  id: 'prefer-bigint-keys',
  severity: 'info',
  lock: 'none',
  rewrites: false,
  title: 'A primary key of integer (32-bit) or smallint',
  why: 'An int key runs out at 2,147,483,647; moving it to bigint later rewrites the table and every referencing table under ACCESS EXCLUSIVE.',
  safeAlternative: 'Use bigint (bigint GENERATED ALWAYS AS IDENTITY) for keys from the start.',
  flaggedExample: 'CREATE TABLE orders (id serial PRIMARY KEY, total numeric);',
  safeExample: 'CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric);',
  check(statement) {
    const { table, columns } = declaredColumns(statement);
    const tableKeys = statement.type === 'CreateStmt'
      ? (statement.fields.tableElts ?? []).map((e: unknown) => asNode(e, 'Constraint')).filter((c?: Fields) => c?.contype === 'CONSTR_PRIMARY').flatMap((c: Fields) => strings(c.keys))
      : [];
    return columns.filter((c) => SMALL.has(typeNameOf(c.typeName)) && (columnConstraint(c, 'CONSTR_PRIMARY') || tableKeys.includes(c.colname)))
      .map((c) => `${table}.${c.colname} is a ${typeNameOf(c.typeName)} primary key; use bigint`);
  },
};
