import { lockPhrase, locksExistingTable } from './timeouts';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'missing-lock-timeout',
  severity: 'error',
  lock: 'none',
  rewrites: false,
  title: 'DDL that locks a table without a lock_timeout set before it',
  why: 'A DDL statement waiting for its lock (behind one long query) makes every later query on the table queue behind it: a brief lock becomes an outage. lock_timeout makes it give up instead, and the migration can retry.',
  safeAlternative: 'SET lock_timeout first (a few seconds) and retry on SQLSTATE 55P03; MigrationJob sets it through PGOPTIONS and retries for you.',
  flaggedExample: 'ALTER TABLE orders ADD COLUMN note text;',
  safeExample: "SET lock_timeout = '3s';\nALTER TABLE orders ADD COLUMN note text;",
  check(statement, context) {
    if (context.lockTimeoutSet || !locksExistingTable(statement, context, 'ShareUpdateExclusiveLock')) return [];
    return [`this statement ${lockPhrase(statement)} with no lock_timeout set: while it waits, every query on the table queues behind it`];
  },
};
