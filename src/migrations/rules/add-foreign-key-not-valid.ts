import { addedConstraints } from './helpers';
import { relationName } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'add-foreign-key-not-valid',
  severity: 'error',
  lock: 'ShareRowExclusiveLock',
  rewrites: false,
  title: 'ADD FOREIGN KEY without NOT VALID on an existing table',
  why: 'The new foreign key is validated by scanning the table while SHARE ROW EXCLUSIVE is held on it and on the referenced table: writes to both wait.',
  safeAlternative: 'Add it NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the referenced one).',
  flaggedExample: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
  safeExample: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;',
  check(statement, context) {
    const { table, constraints } = addedConstraints(statement);
    if (context.isNew(table)) return [];
    return constraints.filter((c) => c.contype === 'CONSTR_FOREIGN' && !c.skip_validation)
      .map((c) => `FOREIGN KEY from ${table} to ${relationName(c.pktable)} is validated while writes to both tables wait; add it NOT VALID, then VALIDATE CONSTRAINT`);
  },
};
