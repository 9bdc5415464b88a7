import { Duration } from 'cdk8s';
import { BatchedBackfill, BatchedBackfillProps, MigrationLinter } from '../../src/migrations';
import { planFiles } from '../../src/migrations/lint/plan';
import { selectRules } from '../../src/migrations/migration-linter';

const PROPS: BatchedBackfillProps = { table: 'posts', keyColumn: 'id', set: "slug = lower(replace(title, ' ', '-'))", pending: 'slug IS NULL' };

beforeAll(async () => {
  await MigrationLinter.loadParser();
});

describe('BatchedBackfill', () => {
  test('GIVEN the article\'s backfill WHEN rendered THEN a DO block updates keyed batches of 1000, commits each, pauses 100 ms, under its own statement_timeout', () => {
    const sql = BatchedBackfill.sql(PROPS);
    expect(sql).toContain("SET statement_timeout = '3600000ms';");
    expect(sql).toContain("UPDATE posts SET slug = lower(replace(title, ' ', '-')) WHERE id > last_key AND id <= last_key + 1000 AND (slug IS NULL);");
    expect(sql).toContain('COMMIT;\n    PERFORM pg_sleep(0.1);');
    expect(sql.trim().endsWith('RESET statement_timeout;')).toBe(true);
  });

  test('GIVEN the backfill in a MigrationJob file WHEN planned THEN it runs outside a transaction and the linter accepts it', () => {
    const { rules, options } = selectRules({ lockTimeoutSet: true, statementTimeoutSet: true });
    const { findings, plan } = planFiles([{ name: '003_backfill.sql', sql: BatchedBackfill.sql({ ...PROPS, batchSize: 500, pause: Duration.millis(50) }) }], rules, options);
    expect(plan).toEqual([{ name: '003_backfill.sql', transactional: false }]);
    expect(findings).toEqual([]);
  });

  test.each<[string, Partial<BatchedBackfillProps>, RegExp]>([
    ['a quoted table name', { table: 'Posts"; DROP' }, /\[BatchedBackfill\] table: got .*a lower-case table name/],
    ['a schema-qualified key', { keyColumn: 'a.id' }, /keyColumn: got "a.id"; a lower-case column name/],
    ['a second statement', { pending: 'slug IS NULL; DROP TABLE posts' }, /pending: got .*without ";"/],
    ['the DO delimiter', { set: 'slug = $backfill$x$backfill$' }, /set: got .*without ";" or \$backfill\$/],
    ['invalid SQL', { set: 'slug = = 1' }, /set\/pending: got .*fragments that make one valid UPDATE \(syntax error/],
    ['batch size 0', { batchSize: 0 }, /batchSize: got 0/],
  ])('GIVEN %s WHEN rendered THEN a clear error names the prop', (_what, props, message) => {
    expect(() => BatchedBackfill.sql({ ...PROPS, ...props })).toThrow(message);
  });
});
