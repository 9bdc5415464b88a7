import { defElemNames } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'vacuum-full',
  severity: 'error',
  lock: 'AccessExclusiveLock',
  rewrites: true,
  title: 'VACUUM FULL',
  why: 'VACUUM FULL rewrites the table under ACCESS EXCLUSIVE: no reads or writes until the copy is done, and it needs room for a second copy.',
  safeAlternative: 'Plain VACUUM (no lock against reads or writes); to shrink a bloated table online, pg_repack.',
  flaggedExample: 'VACUUM FULL orders;',
  safeExample: 'VACUUM (ANALYZE) orders;',
  check(statement) {
    if (statement.type !== 'VacuumStmt' || !statement.fields.is_vacuumcmd || !defElemNames(statement.fields.options).includes('full')) return [];
    return ['VACUUM FULL rewrites the table under ACCESS EXCLUSIVE'];
  },
};
