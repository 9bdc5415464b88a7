import { alterTable } from './helpers';
import { asNode } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'detach-partition-non-concurrent',
  severity: 'warning',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'DETACH PARTITION without CONCURRENTLY',
  why: 'A plain DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned table: every query on any partition waits.',
  safeAlternative: 'DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+), outside a transaction: SHARE UPDATE EXCLUSIVE on the parent.',
  flaggedExample: 'ALTER TABLE events DETACH PARTITION events_2023;',
  safeExample: 'ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;',
  minVersion: 14,
  check(statement, context) {
    const { table, cmds } = alterTable(statement);
    if (context.isNew(table)) return [];
    return cmds.filter((c) => c.subtype === 'AT_DetachPartition' && !asNode(c.def, 'PartitionCmd')?.concurrent)
      .map(() => `DETACH PARTITION locks ${table} ACCESS EXCLUSIVE; use DETACH PARTITION ... CONCURRENTLY`);
  },
};
