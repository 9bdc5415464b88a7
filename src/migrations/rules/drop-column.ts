import { alterTable } from './helpers';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'drop-column',
  severity: 'warning',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'DROP COLUMN',
  why: 'Code still reading the column fails (an ORM selecting every column fails on every query of the table); the lock is brief but queues behind long queries.',
  safeAlternative: 'Stop using the column in a release first (ORMs: mark it ignored), then drop it in a later migration, with a lock_timeout.',
  flaggedExample: 'ALTER TABLE orders DROP COLUMN legacy_status;',
  safeExample: "SET lock_timeout = '2s';\n-- lint-migrations: allow drop-column release 41 stopped reading legacy_status\nALTER TABLE orders DROP COLUMN legacy_status;",
  check(statement, context) {
    const { table, cmds } = alterTable(statement);
    if (context.isNew(table)) return [];
    return cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => `dropping ${table}.${c.name} breaks code that still reads it; drop it only after a release that stopped using it`);
  },
};
