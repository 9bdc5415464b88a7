import { awkwardSample } from '../helpers/awkward';
import { PgBouncerProcess } from './harness/pgbouncer';
import { stopAllServices } from './harness/processes';
import { pgbouncerConnectionString, renderPgBouncerIni } from '../../src/core/render/pgbouncer-ini';

jest.setTimeout(60_000);
afterAll(stopAllServices);

const AWKWARD = 'SELECT \'it\'\'s\' AS "q" -- # ; 50% \\done';
const ODD_DBNAME = "my db's \\ 100%";
// PgBouncer refuses an empty value and strips spaces before an unquoted one; the quoting helper
// quotes whitespace, so only emptiness is excluded.
const SAMPLE = awkwardSample(100, 2026, { minLength: 1 });

describe('pgbouncer.ini rendered by core, read by the real pgbouncer', () => {
  let bouncer: PgBouncerProcess;

  beforeAll(async () => {
    bouncer = await PgBouncerProcess.start(({ port, dir }) => ({
      ini: renderPgBouncerIni('pgbouncer.ini', [
        {
          name: 'databases',
          entries: [
            { key: 'odd', value: pgbouncerConnectionString('pgbouncer.ini', '[databases] odd', { host: '127.0.0.1', port: 5999, dbname: ODD_DBNAME }) },
            ...SAMPLE.map((dbname, i) => ({ key: `db${i}`, value: pgbouncerConnectionString('pgbouncer.ini', `[databases] db${i}`, { host: '127.0.0.1', port: 5999, dbname }) })),
          ],
        },
        {
          name: 'pgbouncer',
          entries: [
            { key: 'listen_addr', value: '127.0.0.1' },
            { key: 'listen_port', value: port },
            { key: 'unix_socket_dir', value: '' },
            { key: 'auth_type', value: 'trust' },
            { key: 'auth_file', value: `${dir}/userlist.txt` },
            { key: 'admin_users', value: 'admin' },
            { key: 'server_check_query', value: AWKWARD },
            { key: 'log_connections', value: false },
          ],
        },
      ]),
      userlist: '"admin" ""\n',
    }));
  });

  afterAll(async () => bouncer?.stop());

  test('SHOW CONFIG reports the awkward value verbatim and the boolean as 0', () => {
    const config = new Map(bouncer.admin('admin', 'SHOW CONFIG').map((row) => [row[0], row[1]]));
    expect(config.get('server_check_query')).toBe(AWKWARD);
    expect(config.get('log_connections')).toBe('0');
    expect(config.get('admin_users')).toBe('admin');
  });

  test('SHOW DATABASES reports the quoted connection-string value unquoted', () => {
    const odd = bouncer.admin('admin', 'SHOW DATABASES').find((row) => row[0] === 'odd');
    expect(odd?.slice(0, 4)).toEqual(['odd', '127.0.0.1', '5999', ODD_DBNAME]);
  });

  test('100 random awkward database names survive ini + connection-string quoting', () => {
    // The databases were rendered in beforeAll from the same seeded sample.
    const rows = new Map(bouncer.admin('admin', 'SHOW DATABASES').map((row) => [row[0], row[3]]));
    SAMPLE.forEach((dbname, i) => expect(rows.get(`db${i}`)).toBe(dbname));
  });
});
