import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'truncate-cascade',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: true,
  title: 'TRUNCATE ... CASCADE',
  why: 'CASCADE also empties every table with a foreign key to this one, recursively, each under ACCESS EXCLUSIVE: more data goes, and more tables stop, than the statement names.',
  safeAlternative: 'Name every table to empty explicitly (TRUNCATE a, b), or delete in batches.',
  flaggedExample: 'TRUNCATE customers CASCADE;',
  safeExample: 'TRUNCATE order_lines, orders;',
  check(statement) {
    if (statement.type !== 'TruncateStmt' || statement.fields.behavior !== 'DROP_CASCADE') return [];
    return ['TRUNCATE ... CASCADE empties every table that references this one, each under ACCESS EXCLUSIVE'];
  },
};
