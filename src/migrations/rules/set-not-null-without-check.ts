import { alterTable } from './helpers';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'set-not-null-without-check',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'SET NOT NULL without a validated CHECK (column IS NOT NULL) first',
  why: 'SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to prove there is no NULL. From PostgreSQL 12 a validated CHECK (column IS NOT NULL) lets it skip the scan.',
  safeAlternative: 'Add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it in a separate transaction, then SET NOT NULL (instant) and drop the CHECK.',
  flaggedExample: 'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;',
  safeExample: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;\nALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null;',
  check(statement, context) {
    const { table, cmds } = alterTable(statement);
    if (context.isNew(table)) return [];
    return cmds.filter((c) => c.subtype === 'AT_SetNotNull' && !(context.targetVersion >= 12 && context.hasValidatedNotNullCheck(table, c.name)))
      .map((c) => context.targetVersion >= 12
        ? `SET NOT NULL on ${table}.${c.name} scans the table under ACCESS EXCLUSIVE; validate a CHECK (${c.name} IS NOT NULL) first`
        : `SET NOT NULL on ${table}.${c.name} scans the table under ACCESS EXCLUSIVE, and before PostgreSQL 12 no CHECK avoids the scan`);
  },
};
