import { asNode, defElemNames, Fields, fieldsOf, findAll, nodeType, relationName } from './ast';

/**
 * PostgreSQL's table lock modes, weakest first, as named in pg_locks.mode.
 * @see https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES
 */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

/** A table lock mode, or `none` for statements that lock no existing table. */
export type LockMode = typeof LOCK_MODES[number] | 'none';

/** The SQL spelling of a mode (`ACCESS EXCLUSIVE`), for messages and docs. */
export function lockTitle(mode: LockMode): string {
  if (mode === 'none') return 'none';
  return mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/** Orders lock modes: -1 for none, else the index in LOCK_MODES. */
export function lockRank(mode: LockMode): number {
  return mode === 'none' ? -1 : LOCK_MODES.indexOf(mode);
}

/** Whether a lock of this mode blocks plain INSERT/UPDATE/DELETE (RowExclusiveLock). */
export function blocksWrites(mode: LockMode): boolean {
  return lockRank(mode) >= lockRank('ShareLock');
}

/** The strongest lock a statement takes and the table it takes it on. */
export interface StatementLock {
  readonly mode: LockMode;
  /** The table (or index, for DROP INDEX) locked; empty when the target is not named. */
  readonly relation: string;
}

const NONE: StatementLock = { mode: 'none', relation: '' };

// ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE (ALTER TABLE's documentation
// lists the lock of each form); anything not here is ACCESS EXCLUSIVE.
const ALTER_LOCKS: Record<string, LockMode> = {
  AT_SetStatistics: 'ShareUpdateExclusiveLock',
  AT_ValidateConstraint: 'ShareUpdateExclusiveLock',
  AT_ClusterOn: 'ShareUpdateExclusiveLock',
  AT_DropCluster: 'ShareUpdateExclusiveLock',
  AT_AttachPartition: 'ShareUpdateExclusiveLock',
  AT_EnableTrig: 'ShareRowExclusiveLock',
  AT_DisableTrig: 'ShareRowExclusiveLock',
  AT_EnableAlwaysTrig: 'ShareRowExclusiveLock',
  AT_EnableReplicaTrig: 'ShareRowExclusiveLock',
  AT_EnableTrigAll: 'ShareRowExclusiveLock',
  AT_DisableTrigAll: 'ShareRowExclusiveLock',
  AT_EnableTrigUser: 'ShareRowExclusiveLock',
  AT_DisableTrigUser: 'ShareRowExclusiveLock',
};

function alterCommandLock(cmd: Fields): LockMode {
  if (cmd.subtype === 'AT_AddConstraint' && asNode(cmd.def, 'Constraint')?.contype === 'CONSTR_FOREIGN') return 'ShareRowExclusiveLock';
  if (cmd.subtype === 'AT_DetachPartition' && asNode(cmd.def, 'PartitionCmd')?.concurrent) return 'ShareUpdateExclusiveLock';
  return ALTER_LOCKS[cmd.subtype] ?? 'AccessExclusiveLock';
}

function strongest(modes: LockMode[]): LockMode {
  return modes.reduce<LockMode>((a, b) => (lockRank(b) > lockRank(a) ? b : a), 'none');
}

/**
 * The strongest table lock a statement takes on an existing relation. New objects (CREATE TABLE,
 * CREATE FUNCTION, ...) lock nothing another session uses, and count as `none`.
 */
export function statementLock(stmt: Fields): StatementLock {
  const type = nodeType(stmt);
  const node = fieldsOf(stmt);
  switch (type) {
    case 'AlterTableStmt': {
      const cmds = (node.cmds ?? []).map((c: unknown) => asNode(c, 'AlterTableCmd')).filter(Boolean) as Fields[];
      return { mode: strongest(cmds.map(alterCommandLock)), relation: relationName(node.relation) };
    }
    case 'IndexStmt':
      return { mode: node.concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock', relation: relationName(node.relation) };
    case 'DropStmt':
      if (!['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_MATVIEW', 'OBJECT_VIEW'].includes(node.removeType)) return NONE;
      return { mode: node.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock', relation: dropTarget(node) };
    case 'RenameStmt':
      return { mode: 'AccessExclusiveLock', relation: relationName(node.relation) };
    case 'TruncateStmt':
      return { mode: 'AccessExclusiveLock', relation: relationName(asNode(node.relations?.[0], 'RangeVar')) };
    case 'VacuumStmt': {
      const rel = relationName(asNode(node.rels?.[0], 'VacuumRelation')?.relation);
      if (!node.is_vacuumcmd) return { mode: 'ShareUpdateExclusiveLock', relation: rel };
      return { mode: defElemNames(node.options).includes('full') ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock', relation: rel };
    }
    case 'ClusterStmt':
      return { mode: 'AccessExclusiveLock', relation: relationName(node.relation) };
    case 'ReindexStmt':
      return { mode: defElemNames(node.params).includes('concurrently') ? 'ShareUpdateExclusiveLock' : 'ShareLock', relation: relationName(node.relation) };
    case 'CreateTrigStmt':
      return { mode: 'ShareRowExclusiveLock', relation: relationName(node.relation) };
    case 'RefreshMatViewStmt':
      return { mode: node.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock', relation: relationName(node.relation) };
    case 'LockStmt':
      return { mode: lockStmtMode(node.mode), relation: relationName(asNode(node.relations?.[0], 'RangeVar')) };
    case 'CreateStmt': {
      // CREATE TABLE ... PARTITION OF locks the parent ACCESS EXCLUSIVE (ATTACH PARTITION takes
      // only SHARE UPDATE EXCLUSIVE): found by the contract property test.
      if (node.partbound) return { mode: 'AccessExclusiveLock', relation: relationName(asNode(node.inhRelations?.[0], 'RangeVar')) };
      // A new table's foreign key locks the referenced table SHARE ROW EXCLUSIVE (briefly: the
      // new table is empty, nothing to validate).
      const reference = findAll(node.tableElts, 'Constraint').find((c) => c.contype === 'CONSTR_FOREIGN');
      return reference ? { mode: 'ShareRowExclusiveLock', relation: relationName(reference.pktable) } : NONE;
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return { mode: 'RowExclusiveLock', relation: relationName(node.relation) };
    default:
      return NONE;
  }
}

function dropTarget(node: Fields): string {
  const first = node.objects?.[0];
  const list = asNode(first, 'List')?.items ?? [];
  return list.map((item: unknown) => asNode(item, 'String')?.sval).filter(Boolean).join('.');
}

// LOCK TABLE's mode is the lockmode number of lockdefs.h (1 = AccessShareLock ... 8 = AccessExclusiveLock).
function lockStmtMode(mode: unknown): LockMode {
  const index = typeof mode === 'number' ? mode - 1 : LOCK_MODES.length - 1;
  return LOCK_MODES[Math.max(0, Math.min(LOCK_MODES.length - 1, index))];
}
