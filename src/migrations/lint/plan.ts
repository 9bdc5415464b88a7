import { asNode, defElemNames, Fields, fieldsOf, nodeType } from './ast';
import { Finding, lintParsed } from './engine';
import { LintOptions } from './options';
import { parseSources } from './parser';
import { MigrationRuleDefinition } from './rule';

/** How MigrationJob runs one file. */
export interface PlannedFile {
  readonly name: string;
  /** Whether psql may wrap it in one transaction (with its history row). */
  readonly transactional: boolean;
}

const NOT_IN_TRANSACTION = new Set(['VacuumStmt', 'CreatedbStmt', 'DropdbStmt', 'AlterSystemStmt', 'CreateTableSpaceStmt', 'DropTableSpaceStmt', 'TransactionStmt',
  // A DO block may COMMIT (a batched backfill does): only outside a transaction block.
  'DoStmt']);

/**
 * Whether a statement cannot run inside psql's --single-transaction: it refuses a transaction
 * block (CONCURRENTLY, VACUUM, CREATE DATABASE, ...) or manages transactions itself.
 */
function needsOwnTransaction(stmt: Fields): boolean {
  const type = nodeType(stmt) ?? '';
  const f = fieldsOf(stmt);
  if (NOT_IN_TRANSACTION.has(type)) return true;
  if ((type === 'IndexStmt' || type === 'DropStmt') && f.concurrent) return true;
  if (type === 'ReindexStmt') return defElemNames(f.params).includes('concurrently') || f.kind === 'REINDEX_OBJECT_SYSTEM' || f.kind === 'REINDEX_OBJECT_DATABASE';
  if (type === 'AlterTableStmt') {
    return (f.cmds ?? []).some((c: unknown) => asNode(asNode(c, 'AlterTableCmd')?.def, 'PartitionCmd')?.concurrent);
  }
  return false;
}

/** Lints files in order with one parse and plans how each runs. */
export function planFiles(
  files: ReadonlyArray<{ name: string; sql: string }>,
  rules: readonly MigrationRuleDefinition[],
  options: LintOptions,
): { findings: Finding[]; plan: PlannedFile[] } {
  const parsed = parseSources(files.map((f) => f.sql));
  const findings: Finding[] = [];
  const plan = files.map((file, i) => {
    // Files run statement by statement do not run inside an implicit transaction: lint them so.
    const transactional = !parsed[i].error && !parsed[i].statements.some((s) => needsOwnTransaction(s.stmt));
    findings.push(...lintParsed({ file: file.name, sql: file.sql, implicitTransaction: transactional }, parsed[i], rules, options));
    return { name: file.name, transactional };
  });
  return { findings, plan };
}
