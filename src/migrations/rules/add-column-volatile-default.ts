import { addedColumns, columnConstraint } from './helpers';
import { asNode, findAll, strings, typeNameOf } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

// Functions known not to be volatile: a default calling only these is evaluated once, at ALTER
// time, and stored in the catalog (PostgreSQL 11+). An unknown function may be volatile (CREATE
// FUNCTION's default is VOLATILE), so it counts as one.
const NOT_VOLATILE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_date', 'lower', 'upper', 'length', 'abs',
  'jsonb_build_object', 'json_build_object', 'jsonb_build_array', 'json_build_array', 'to_jsonb', 'to_json',
  'make_date', 'make_interval', 'date_trunc', 'concat', 'array_fill', 'greatest', 'least', 'round',
]);
const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export const rule: MigrationRuleDefinition = {
  id: 'add-column-volatile-default',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: true,
  title: 'ADD COLUMN with a default that rewrites the table',
  why: 'A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval() of a serial) must be computed per row: the table is rewritten under ACCESS EXCLUSIVE. Before PostgreSQL 11 any non-NULL default rewrites.',
  safeAlternative: 'Add the column without a default (or with a constant one from PostgreSQL 11), set the default for new rows, and backfill existing rows in batches.',
  flaggedExample: 'ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();',
  safeExample: 'ALTER TABLE orders ADD COLUMN public_id uuid;\nALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n-- then backfill in batches: UPDATE orders SET public_id = gen_random_uuid() WHERE id BETWEEN $1 AND $2 AND public_id IS NULL;',
  check(statement, context) {
    const { table, columns } = addedColumns(statement);
    if (context.isNew(table)) return [];
    const messages: string[] = [];
    for (const column of columns) {
      if (SERIAL.has(typeNameOf(column.typeName))) {
        messages.push(`ADD COLUMN ${column.colname} ${typeNameOf(column.typeName)} fills every row from a sequence: ${table} is rewritten under ACCESS EXCLUSIVE`);
        continue;
      }
      const expr = columnConstraint(column, 'CONSTR_DEFAULT')?.raw_expr;
      if (expr === undefined || asNode(expr, 'A_Const')?.isnull) continue;
      if (context.targetVersion < 11) {
        messages.push(`before PostgreSQL 11, ADD COLUMN ${column.colname} with a DEFAULT rewrites ${table} under ACCESS EXCLUSIVE`);
        continue;
      }
      const volatile = findAll(expr, 'FuncCall').map((f) => strings(f.funcname).pop() ?? '').filter((name) => !NOT_VOLATILE.has(name.toLowerCase()));
      if (volatile.length > 0) messages.push(`the default of ${column.colname} calls ${volatile.join(', ')}() (volatile, or not known to be stable): ${table} is rewritten under ACCESS EXCLUSIVE`);
    }
    return messages;
  },
};
