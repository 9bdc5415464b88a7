import { Fields } from './ast';
import { LockMode, StatementLock } from './locks';

/** How bad a finding is: errors fail CI and synth, warnings fail with `--max-warnings`, info never. */
export type Severity = 'error' | 'warning' | 'info';

/** What a rule says about itself: the docs table and the CLI's `--explain` are made of this. */
export interface RuleMeta {
  /** Kebab-case id, used in suppressions and config. */
  readonly id: string;
  readonly severity: Severity;
  /** The table lock the flagged statement takes (proven by the contract test when not `none`). */
  readonly lock: LockMode;
  /** Whether the flagged statement rewrites the table (a new relfilenode). */
  readonly rewrites: boolean;
  /** One sentence: what the rule catches. */
  readonly title: string;
  /** Why it hurts in production. */
  readonly why: string;
  /** The safe way, in words. */
  readonly safeAlternative: string;
  /** A statement the rule flags. */
  readonly flaggedExample: string;
  /** The safe alternative as SQL (the rule does not flag it). */
  readonly safeExample: string;
  /** First PostgreSQL major version the rule applies to. */
  readonly minVersion?: number;
  /** Last PostgreSQL major version the rule applies to. */
  readonly maxVersion?: number;
}

/** One statement as the rules see it. */
export interface LintStatement {
  /** The wrapped parse node, e.g. `{ IndexStmt: {...} }`. */
  readonly node: Fields;
  /** Its node type, e.g. `IndexStmt`. */
  readonly type: string;
  /** The node's fields. */
  readonly fields: Fields;
  /** 1-based line and column of the statement's first token. */
  readonly line: number;
  readonly column: number;
  /** The statement's text (comments before it excluded). */
  readonly text: string;
  /** Whether it runs inside an explicit (BEGIN) or implicit (migration tool) transaction. */
  readonly inTransaction: boolean;
  /** The strongest lock it takes on an existing table. */
  readonly lock: StatementLock;
}

/** What the file did before the statement under check (and a few whole-file facts). */
export interface LintContext {
  readonly targetVersion: number;
  /** `lock_timeout` set (SET, SET LOCAL, or by the runner) before this statement. */
  readonly lockTimeoutSet: boolean;
  /** `statement_timeout` set before this statement. */
  readonly statementTimeoutSet: boolean;
  /** The table an earlier statement of the current transaction holds ACCESS EXCLUSIVE on. */
  readonly accessExclusiveHeldOn?: string;
  /** Whether the table was created earlier in the linted files (it is new: nobody else uses it). */
  isNew(table: string): boolean;
  /** Leading columns of every index the linted files define on the table (anywhere in them). */
  indexesOn(table: string): readonly (readonly string[])[];
  /** Whether the linted files create a view of this name (anywhere in them). */
  definesView(name: string): boolean;
  /** Whether a validated `CHECK (column IS NOT NULL)` exists on the table before this statement. */
  hasValidatedNotNullCheck(table: string, column: string): boolean;
}

/** A rule: its metadata and a pure check returning one message per finding. */
export interface MigrationRuleDefinition extends RuleMeta {
  check(statement: LintStatement, context: LintContext): string[];
}
