import { Size, Testing } from 'cdk8s';
import { PostgresServer } from './harness/postgres';
import { stopAllServices } from './harness/processes';
import { mergeParameters } from '../../src/cnpg/tuning';
import { renderPostgresConf } from '../../src/core/render/postgres-conf';

jest.setTimeout(120_000);
afterAll(stopAllServices);

/**
 * The parameters the CNPG Cluster construct derives from a pod's memory, given to a real
 * PostgreSQL 15 for three sizes: every name and unit must be accepted, and read back as derived.
 */
describe.each([
  ['512Mi', Size.mebibytes(512)],
  ['4Gi', Size.gibibytes(4)],
  ['16Gi', Size.gibibytes(16)],
])('derived parameters for a %s pod', (label, memory) => {
  test('PostgreSQL 15 starts with them and reports each value back', async () => {
    const parameters = mergeParameters(Testing.chart(), memory, {}, { major: 15, caveat: '' });
    const server = await PostgresServer.start({ conf: renderPostgresConf('postgresql.conf', Object.entries(parameters).map(([key, value]) => ({ key, value }))) });
    try {
      expect(server.query('SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL')).toBe('0');
      for (const [name, value] of Object.entries(parameters)) {
        // pg_settings normalizes units; compare in bytes through pg_size_bytes where it applies.
        const unit = server.query(`SELECT unit FROM pg_settings WHERE name = '${name}'`);
        const actual = unit
          ? server.query(`SELECT pg_size_bytes(current_setting('${name}'))`)
          : server.query(`SELECT current_setting('${name}')`);
        const expected = unit ? server.query(`SELECT pg_size_bytes('${value}')`) : value;
        expect(`${label} ${name}=${actual}`).toBe(`${label} ${name}=${expected}`);
      }
    } finally {
      await server.stop();
    }
  });
});
