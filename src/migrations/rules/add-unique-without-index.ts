import { addedConstraints } from './helpers';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'add-unique-without-index',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'ADD UNIQUE or PRIMARY KEY that builds its index under the table lock',
  why: 'Without USING INDEX, ADD CONSTRAINT UNIQUE/PRIMARY KEY builds the index while holding ACCESS EXCLUSIVE: no reads or writes until it is built.',
  safeAlternative: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX), which only takes a brief lock.',
  flaggedExample: 'ALTER TABLE orders ADD CONSTRAINT orders_reference_key UNIQUE (reference);',
  safeExample: 'CREATE UNIQUE INDEX CONCURRENTLY orders_reference_key ON orders (reference);\nALTER TABLE orders ADD CONSTRAINT orders_reference_key UNIQUE USING INDEX orders_reference_key;',
  check(statement, context) {
    const { table, constraints } = addedConstraints(statement);
    if (context.isNew(table)) return [];
    return constraints.filter((c) => (c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY') && !c.indexname)
      .map((c) => `${c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'} on ${table} builds its index under ACCESS EXCLUSIVE; build it CONCURRENTLY and add the constraint USING INDEX`);
  },
};
