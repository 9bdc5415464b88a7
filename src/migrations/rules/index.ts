import { rule as addCheckNotValid } from './add-check-not-valid';
import { rule as addColumnNotNullWithoutDefault } from './add-column-not-null-without-default';
import { rule as addColumnStoredGenerated } from './add-column-stored-generated';
import { rule as addColumnVolatileDefault } from './add-column-volatile-default';
import { rule as addForeignKeyNotValid } from './add-foreign-key-not-valid';
import { rule as addUniqueWithoutIndex } from './add-unique-without-index';
import { rule as alterColumnType } from './alter-column-type';
import { rule as avoidCharN } from './avoid-char-n';
import { rule as cluster } from './cluster';
import { rule as concurrentlyInTransaction } from './concurrently-in-transaction';
import { rule as createIndexNonConcurrent } from './create-index-non-concurrent';
import { rule as createPartitionOf } from './create-partition-of';
import { rule as deleteWithoutWhere } from './delete-without-where';
import { rule as detachPartitionNonConcurrent } from './detach-partition-non-concurrent';
import { rule as dropColumn } from './drop-column';
import { rule as dropIndexNonConcurrent } from './drop-index-non-concurrent';
import { rule as dropTable } from './drop-table';
import { rule as foreignKeyWithoutIndex } from './foreign-key-without-index';
import { rule as missingLockTimeout } from './missing-lock-timeout';
import { rule as missingStatementTimeout } from './missing-statement-timeout';
import { rule as preferBigintKeys } from './prefer-bigint-keys';
import { rule as preferTextOverVarchar } from './prefer-text-over-varchar';
import { rule as preferTimestamptz } from './prefer-timestamptz';
import { rule as reindexNonConcurrent } from './reindex-non-concurrent';
import { rule as renameColumn } from './rename-column';
import { rule as renameTable } from './rename-table';
import { rule as setNotNullWithoutCheck } from './set-not-null-without-check';
import { rule as statementsAfterAccessExclusive } from './statements-after-access-exclusive';
import { rule as truncateCascade } from './truncate-cascade';
import { rule as updateWithoutWhere } from './update-without-where';
import { rule as vacuumFull } from './vacuum-full';
import { MigrationRuleDefinition } from '../lint/rule';

/** Every rule, one per file; the order is the docs table's and the CLI's. */
export const ALL_RULES: readonly MigrationRuleDefinition[] = [
  createIndexNonConcurrent,
  dropIndexNonConcurrent,
  concurrentlyInTransaction,
  addCheckNotValid,
  addForeignKeyNotValid,
  addUniqueWithoutIndex,
  setNotNullWithoutCheck,
  addColumnVolatileDefault,
  addColumnStoredGenerated,
  addColumnNotNullWithoutDefault,
  alterColumnType,
  renameColumn,
  renameTable,
  dropColumn,
  dropTable,
  truncateCascade,
  reindexNonConcurrent,
  detachPartitionNonConcurrent,
  createPartitionOf,
  vacuumFull,
  cluster,
  missingLockTimeout,
  missingStatementTimeout,
  statementsAfterAccessExclusive,
  updateWithoutWhere,
  deleteWithoutWhere,
  foreignKeyWithoutIndex,
  preferBigintKeys,
  preferTimestamptz,
  preferTextOverVarchar,
  avoidCharN,
];
