import { addedColumns, columnConstraint } from './helpers';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'add-column-not-null-without-default',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'ADD COLUMN NOT NULL without a DEFAULT',
  why: 'On a table with rows the statement fails (the new column would be NULL in every row); and the code still running does not set the column, so its inserts would fail too.',
  safeAlternative: 'Add the column nullable (or with a constant DEFAULT), backfill, then add NOT NULL through a validated CHECK.',
  flaggedExample: 'ALTER TABLE orders ADD COLUMN currency text NOT NULL;',
  safeExample: "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';",
  check(statement, context) {
    const { table, columns } = addedColumns(statement);
    if (context.isNew(table)) return [];
    return columns.filter((c) => columnConstraint(c, 'CONSTR_NOTNULL') && !columnConstraint(c, 'CONSTR_DEFAULT') && !columnConstraint(c, 'CONSTR_GENERATED') && !columnConstraint(c, 'CONSTR_IDENTITY'))
      .map((c) => `ADD COLUMN ${c.colname} NOT NULL without a DEFAULT fails on a table with rows and breaks inserts of the running code`);
  },
};
