import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'cluster',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: true,
  title: 'CLUSTER',
  why: 'CLUSTER rewrites the table in index order under ACCESS EXCLUSIVE: no reads or writes until it is done.',
  safeAlternative: 'pg_repack --order-by reorders a table online; or accept the order the table has.',
  flaggedExample: 'CLUSTER orders USING orders_created_at_idx;',
  safeExample: '-- pg_repack --table=orders --order-by=created_at (outside the migration)\nANALYZE orders;',
  check(statement) {
    return statement.type === 'ClusterStmt' ? ['CLUSTER rewrites the table under ACCESS EXCLUSIVE'] : [];
  },
};
