import { alterTable } from './helpers';
import { asNode, defElemNames } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'concurrently-in-transaction',
  severity: 'error',
  lock: 'none',
  rewrites: false,
  title: 'A CONCURRENTLY operation inside a transaction block',
  why: 'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY cannot run in a transaction block: the migration fails (and tools that wrap a file in a transaction, like dbmate, do so implicitly).',
  safeAlternative: 'Run it outside BEGIN/COMMIT, in a file of its own (dbmate: `-- migrate:up transaction:false`).',
  flaggedExample: 'BEGIN;\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\nCOMMIT;',
  safeExample: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
  check(statement) {
    if (!statement.inTransaction) return [];
    const f = statement.fields;
    const concurrent = (statement.type === 'IndexStmt' && f.concurrent)
      || (statement.type === 'DropStmt' && f.concurrent)
      || (statement.type === 'ReindexStmt' && defElemNames(f.params).includes('concurrently'))
      || alterTable(statement).cmds.some((c) => c.subtype === 'AT_DetachPartition' && asNode(c.def, 'PartitionCmd')?.concurrent);
    return concurrent ? ['a CONCURRENTLY operation cannot run inside a transaction block: PostgreSQL refuses it'] : [];
  },
};
