import { Duration, Testing } from 'cdk8s';
import { PostgresServer } from './harness/postgres';
import { stopAllServices } from './harness/processes';
import { PostgresConfig, PostgresSetting, RecoveryAction, RecoveryTarget, WalArchiving } from '../../src';
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

describe('issue 13: a PostgresConfig of WAL archiving and recovery settings, read by PostgreSQL 15', () => {
  let server: PostgresServer;
  let archiving: PostgresSetting[];
  let recovery: PostgresSetting[];

  beforeAll(async () => {
    // GIVEN the backup area's settings in a PostgresConfig, as the synthesized ConfigMap holds them
    const chart = Testing.chart();
    archiving = WalArchiving.postgresSettings({ stanza: 'app-db', archiveTimeout: Duration.seconds(90) });
    recovery = RecoveryTarget.of({ time: '2026-11-24T10:15:00.25+01:00', inclusive: false, action: RecoveryAction.PROMOTE }).toPostgresSettings();
    new PostgresConfig(chart, 'Conf', { settings: [...archiving, ...recovery], listenAddresses: '127.0.0.1' });
    const conf = Testing.synth(chart).find((m) => m.kind === 'ConfigMap').data['postgresql.conf'];
    // WHEN PostgreSQL starts with it
    server = await PostgresServer.start({ conf });
  });

  afterAll(async () => server?.stop());

  test('THEN every line is accepted and every value reads back exactly as the setting said', () => {
    expect(server.query('SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL')).toBe('0');
    const read = (name: string) => server.query(`SELECT setting FROM pg_file_settings WHERE name = '${name}' AND sourcefile LIKE '%fragment.conf'`);
    for (const setting of [...archiving, ...recovery]) expect([setting.name, read(setting.name)]).toEqual([setting.name, setting.value]);
    // and the server applied them (archive_command shows once archive_mode is on)
    expect(server.query("SELECT current_setting('archive_mode') || ' ' || current_setting('archive_timeout') || ' ' || current_setting('recovery_target_action')")).toBe('on 90s promote');
    expect(server.query("SELECT current_setting('archive_command')")).toBe('pgbackrest --config=/etc/pgbackrest/conf/pgbackrest.conf --stanza=app-db archive-push %p');
    expect(server.query("SELECT current_setting('restore_command')")).toBe('pgbackrest --config=/etc/pgbackrest/conf/pgbackrest.conf --stanza=app-db archive-get %f "%p"');
  });
});
