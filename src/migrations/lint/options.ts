/** Internal lint options (the public MigrationLintOptions maps onto these). */
export interface LintOptions {
  /** PostgreSQL major version the migrations run on. */
  readonly targetVersion?: number;
  /** Only these rules (default: all). */
  readonly enabledRules?: readonly string[];
  /** Rules turned off. */
  readonly disabledRules?: readonly string[];
  /** The runner sets lock_timeout for the session (MigrationJob's PGOPTIONS). */
  readonly lockTimeoutSet?: boolean;
  /** The runner sets statement_timeout for the session. */
  readonly statementTimeoutSet?: boolean;
  /** Rule ids a suppression may name although the rule is off (off rules are still known). */
  readonly knownRuleIds?: readonly string[];
}
