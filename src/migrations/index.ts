// Public API of the migrations area, re-exported by src/index.ts (exports by name).
export { MigrationLinter } from './migration-linter';
export type { MigrationLintFinding, MigrationLintOptions, MigrationRuleInfo, MigrationSource } from './migration-linter';
export { MigrationHook, Migrations } from './migration-choices';
export { MigrationJob } from './migration-job';
export type { MigrationConnection, MigrationJobProps } from './migration-job';
export { BatchedBackfill } from './batched-backfill';
export type { BatchedBackfillProps } from './batched-backfill';
