import { MigrationRuleDefinition } from '../lint/rule';

const HARMLESS = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt']);

export const rule: MigrationRuleDefinition = {
  id: 'statements-after-access-exclusive',
  severity: 'warning',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'More statements after an ACCESS EXCLUSIVE lock in the same transaction',
  why: 'A lock is held until the transaction ends: every statement after the one that took ACCESS EXCLUSIVE keeps all readers and writers of that table waiting.',
  safeAlternative: 'Commit right after the statement that takes ACCESS EXCLUSIVE; put other work in its own transaction.',
  flaggedExample: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nUPDATE customers SET tier = 'gold' WHERE id = 1;\nCOMMIT;",
  safeExample: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nUPDATE customers SET tier = 'gold' WHERE id = 1;",
  check(statement, context) {
    if (!context.accessExclusiveHeldOn || !statement.inTransaction || HARMLESS.has(statement.type)) return [];
    return [`${context.accessExclusiveHeldOn} is locked ACCESS EXCLUSIVE by an earlier statement of this transaction while this one runs`];
  },
};
