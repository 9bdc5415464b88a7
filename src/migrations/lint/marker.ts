/** The suppression comment's marker: `-- lint-migrations: allow <rule-id>[,<rule-id>] <reason>`. */
export const SUPPRESSION_MARKER = 'lint-migrations:';
