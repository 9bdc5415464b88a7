import { PostgresServer } from './harness/postgres';
import { stopAllServices } from './harness/processes';
import { renderPostgresConf } from '../../src/core/render/postgres-conf';
import { awkwardSample } from '../helpers/awkward';

jest.setTimeout(60_000);
afterAll(stopAllServices);

// Values chosen to break naive quoting: quotes of both kinds, comment starters, %, backslashes.
const AWKWARD = 'it\'s a "test" # not a comment ; nor this 50% \\done';
// And 200 random single-line strings of such characters, all in one fragment.
const SAMPLE = awkwardSample(200, 15);

describe('postgresql.conf fragments rendered by core, read by PostgreSQL 15', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    const conf = renderPostgresConf('postgresql.conf', [
      { key: 'max_connections', value: 100 },
      { key: 'shared_buffers', value: '64MB' },
      { key: 'work_mem', value: '4MB' },
      { key: 'log_min_duration_statement', value: '250ms' },
      { key: 'hot_standby', value: true },
      { key: 'wal_compression', value: false },
      { key: 'archive_command', value: 'test ! -f /archive/%f && cp %p /archive/%f' },
      { key: 'application_name', value: 'with space' },
      { key: 'app.awkward', value: AWKWARD },
      ...SAMPLE.map((value, i) => ({ key: `app.sample${i}`, value })),
    ]);
    server = await PostgresServer.start({ conf });
  });

  afterAll(async () => server?.stop());

  test('every value reads back exactly as rendered', () => {
    const show = (name: string) => server.query(`SELECT current_setting('${name}')`);
    expect(show('max_connections')).toBe('100');
    expect(show('shared_buffers')).toBe('64MB');
    expect(show('work_mem')).toBe('4MB');
    expect(show('log_min_duration_statement')).toBe('250ms');
    expect(show('hot_standby')).toBe('on');
    expect(show('wal_compression')).toBe('off');
    expect(show('app.awkward')).toBe(AWKWARD);
  });

  test('200 random awkward strings read back exactly', () => {
    const read = server.query("SELECT string_agg(current_setting('app.sample' || i), chr(31) ORDER BY i) FROM generate_series(0, 199) AS i");
    expect(read.split('\x1f')).toEqual(SAMPLE);
  });

  test('the parser read values the session cannot show verbatim', () => {
    // archive_command shows "(disabled)" while archive_mode is off; psql sets its own application_name.
    const read = (name: string) => server.query(`SELECT setting FROM pg_file_settings WHERE name = '${name}' AND sourcefile LIKE '%fragment.conf'`);
    expect(read('archive_command')).toBe('test ! -f /archive/%f && cp %p /archive/%f');
    expect(read('application_name')).toBe('with space');
  });

  test('the server reports no configuration errors', () => {
    // pg_file_settings lists every line PostgreSQL read, with an error column for rejected ones.
    expect(server.query("SELECT count(*) FROM pg_file_settings WHERE sourcefile LIKE '%fragment.conf'")).toBe(String(9 + SAMPLE.length));
    expect(server.query('SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL')).toBe('0');
  });
});
