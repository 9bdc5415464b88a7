// Public API of the migrations area, re-exported by src/index.ts (exports by name).
export { MigrationLinter } from './migration-linter';
export type { MigrationLintFinding, MigrationLintOptions, MigrationRuleInfo, MigrationSource } from './migration-linter';
