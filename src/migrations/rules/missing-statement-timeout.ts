import { lockPhrase, locksExistingTable } from './timeouts';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'missing-statement-timeout',
  severity: 'warning',
  lock: 'none',
  rewrites: false,
  title: 'A write-blocking statement without a statement_timeout set before it',
  why: 'Once it holds its lock, a statement that runs longer than expected (a scan, a rewrite) blocks writers for as long as it runs; statement_timeout bounds the damage.',
  safeAlternative: 'SET statement_timeout before the DDL (MigrationJob sets it through PGOPTIONS); long CONCURRENTLY builds block no writer and may go without.',
  flaggedExample: 'ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;',
  safeExample: "SET statement_timeout = '5min';\nALTER TABLE orders ALTER COLUMN quantity TYPE bigint;  -- still flagged by alter-column-type",
  check(statement, context) {
    if (context.statementTimeoutSet || !locksExistingTable(statement, context, 'ShareLock')) return [];
    return [`this statement ${lockPhrase(statement)} with no statement_timeout set: nothing bounds how long writers wait`];
  },
};
