import { Duration } from 'cdk8s';
import { propError } from '../core/errors';
import { parseSources } from './lint/parser';

/** What to backfill, in the article's pattern: keyed batches, a pause between them, idempotent. */
export interface BatchedBackfillProps {
  /** The table, `name` or `schema.name` (lower-case identifiers). */
  readonly table: string;
  /** An integer key column (usually the primary key): batches are key ranges. */
  readonly keyColumn: string;
  /** The SET list, e.g. `slug = lower(replace(title, ' ', '-'))`. */
  readonly set: string;
  /**
   * A condition true only for rows still to fill, e.g. `slug IS NULL`: it makes the backfill
   * idempotent (a rerun or a retry after a failure updates nothing twice).
   */
  readonly pending: string;
  /**
   * Keys per batch (each batch is its own transaction).
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * Pause between batches, so replicas and autovacuum keep up.
   * @default Duration.millis(100)
   */
  readonly pause?: Duration;
  /**
   * statement_timeout for the whole backfill (PostgreSQL times a DO block as one statement).
   * @default Duration.hours(1)
   */
  readonly maxDuration?: Duration;
}

const NAME = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;
const DELIMITER = '$backfill$';

/**
 * A batched backfill as SQL to put in a migration file (MigrationJob runs it outside a
 * transaction): a DO block that updates one key range at a time, commits each, and pauses.
 */
export class BatchedBackfill {
  /** The backfill's SQL: a statement_timeout for its duration, the DO block, and a RESET. */
  public static sql(props: BatchedBackfillProps): string {
    const where = 'BatchedBackfill';
    if (!NAME.test(props.table)) throw propError(where, 'table', props.table, 'a lower-case table name, optionally schema-qualified');
    if (!NAME.test(props.keyColumn) || props.keyColumn.includes('.')) throw propError(where, 'keyColumn', props.keyColumn, 'a lower-case column name');
    const batch = props.batchSize ?? 1000;
    if (!Number.isInteger(batch) || batch < 1 || batch > 1_000_000) throw propError(where, 'batchSize', batch, 'a whole number from 1 to 1000000');
    const pauseMs = (props.pause ?? Duration.millis(100)).toMilliseconds();
    const maxMs = (props.maxDuration ?? Duration.hours(1)).toMilliseconds();
    if (maxMs < 1000) throw propError(where, 'maxDuration', `${maxMs}ms`, 'at least one second');
    // The fragments go into the DO body: they must form one valid UPDATE on their own.
    for (const [prop, value] of [['set', props.set], ['pending', props.pending]] as const) {
      if (value.includes(DELIMITER) || value.includes(';')) throw propError(where, prop, value, `an SQL fragment without ";" or ${DELIMITER}`);
    }
    const update = `UPDATE ${props.table} SET ${props.set} WHERE ${props.keyColumn} > last_key AND ${props.keyColumn} <= last_key + ${batch} AND (${props.pending})`;
    const [parsed] = parseSources([update]);
    if (parsed.error || parsed.statements.length !== 1) {
      throw propError(where, 'set/pending', `${props.set} / ${props.pending}`, `fragments that make one valid UPDATE (${parsed.error?.message ?? 'more than one statement'})`);
    }
    return `-- Batched backfill of ${props.table}: ${batch} keys per transaction, ${pauseMs} ms apart; idempotent (only rows where ${props.pending.replace(/\n/g, ' ')}).
SET statement_timeout = '${maxMs}ms';
DO ${DELIMITER}
DECLARE
  last_key bigint := (SELECT coalesce(min(${props.keyColumn}), 1) - 1 FROM ${props.table});
  max_key bigint := (SELECT coalesce(max(${props.keyColumn}), 0) FROM ${props.table});
  done bigint;
BEGIN
  WHILE last_key < max_key LOOP
    ${update};
    GET DIAGNOSTICS done = ROW_COUNT;
    RAISE NOTICE 'backfill ${props.table}: keys % to %: % rows', last_key + 1, last_key + ${batch}, done;
    last_key := last_key + ${batch};
    COMMIT;
    PERFORM pg_sleep(${pauseMs / 1000});
  END LOOP;
END
${DELIMITER};
RESET statement_timeout;
`;
  }

  private constructor() {}
}
