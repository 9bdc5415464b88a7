import { lockRank, lockTitle } from '../lint/locks';
import { LintContext, LintStatement } from '../lint/rule';

/** Whether the statement locks an existing table at least this strongly (the timeout rules). */
export function locksExistingTable(statement: LintStatement, context: LintContext, atLeast: Parameters<typeof lockRank>[0]): boolean {
  if (statement.type === 'InsertStmt' || statement.type === 'UpdateStmt' || statement.type === 'DeleteStmt' || statement.type === 'MergeStmt') return false;
  return lockRank(statement.lock.mode) >= lockRank(atLeast) && !context.isNew(statement.lock.relation);
}

/** "takes SHARE on orders" for messages. */
export function lockPhrase(statement: LintStatement): string {
  return `takes ${lockTitle(statement.lock.mode)} on ${statement.lock.relation || 'a table'}`;
}
