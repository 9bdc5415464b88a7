import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { PostgresServer } from './harness/postgres';
import { serviceTempDir, stopAllServices, writeServiceFile } from './harness/processes';
import { makeTestPki } from './harness/tls';
import { CnpgCluster } from '../../src';
import { baseValue } from '../../src/cnpg/parameter-values';
import { postgresSettings } from '../../src/cnpg/postgres-settings';
import { renderPostgresConf } from '../../src/core/render/postgres-conf';
import { ACCEPTED_PG_HBA, clusterInput, memoryOf } from '../cnpg/cnpg-cluster.arbitraries';
import { CLEAR_ERROR } from '../helpers/property';
import { synthValidated } from '../helpers/synth';

jest.setTimeout(600_000);
afterAll(stopAllServices);

/**
 * A fixed-seed sample of CnpgCluster memory sizes, parameters (shared_buffers, work_mem,
 * max_connections, time settings, ...) and pg_hba entries. Every case the library accepts is
 * given to a real PostgreSQL 15: the rendered parameters as a postgresql.conf fragment, the
 * pg_hba entries as the hba_file (after one harness rule), with SSL on as CloudNativePG runs it.
 * PostgreSQL must start, report no file errors and read each parameter back as the library
 * computes it in the setting's base unit. A case the library accepts and PostgreSQL refuses fails.
 */
test('#11 Also: accepted CnpgCluster parameters and pg_hba entries are accepted by PostgreSQL 15 and read back', async () => {
  const cases = fc.sample(clusterInput, { seed: 1117, numRuns: 20 });
  const counts = { cases: cases.length, synthesized: 0, libraryRefused: 0, postgresAccepted: 0, postgresRefused: 0 };
  const refusals: string[] = [];
  const pkiDir = serviceTempDir('cnpg-pki');
  const pki = makeTestPki(pkiDir.path);
  for (const [i, input] of cases.entries()) {
    const chart = Testing.chart();
    let spec: any;
    try {
      new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), memory: memoryOf(input), parameters: input.parameters, pgHba: input.pgHba });
      spec = synthValidated(chart).find((m) => m.kind === 'Cluster').spec.postgresql;
    } catch (e) {
      expect((e as Error).message).toMatch(CLEAR_ERROR);
      counts.libraryRefused++;
      continue;
    }
    counts.synthesized++;
    const parameters = spec.parameters as Record<string, string>;
    const hba: string[] = spec.pg_hba ?? [];
    const hbaDir = serviceTempDir('cnpg-hba');
    const hbaFile = path.join(hbaDir.path, 'pg_hba.conf');
    writeServiceFile(hbaFile, ['local all postgres trust', ...hba].join('\n') + '\n');
    const harness = { ssl: 'on', ssl_cert_file: pki.serverCertFile, ssl_key_file: pki.serverKeyFile, ssl_ca_file: pki.caFile, hba_file: hbaFile };
    const conf = renderPostgresConf('postgresql.conf', Object.entries({ ...parameters, ...harness }).map(([key, value]) => ({ key, value })));
    let server: PostgresServer | undefined;
    try {
      server = await PostgresServer.start({ conf });
      // The case's own statement_timeout (2ms, say) must not cancel the harness's reads; values are
      // read as reset_val, the configured value this SET does not touch.
      const query = (sql: string) => server!.query(`SET statement_timeout = 0; ${sql}`);
      const problems = [
        ...query('SELECT name || \': \' || error FROM pg_file_settings WHERE error IS NOT NULL').split('\n').filter(Boolean),
        ...query('SELECT line_number || \': \' || error FROM pg_hba_file_rules WHERE error IS NOT NULL').split('\n').filter(Boolean),
      ];
      const rules = Number(query('SELECT count(*) FROM pg_hba_file_rules'));
      if (rules !== hba.length + 1) problems.push(`pg_hba: ${rules} rules loaded for ${hba.length + 1} lines`);
      for (const [name, value] of Object.entries(parameters)) {
        const actual = query(`SELECT reset_val FROM pg_settings WHERE name = '${name}'`);
        const setting = postgresSettings(15).byName.get(name.toLowerCase());
        const expected = setting?.unit ? String(baseValue(value, setting)) : value;
        if (Number(actual) !== Number(expected) && actual !== expected) problems.push(`${name} = '${value}' read back as ${actual}, expected ${expected}`);
      }
      if (problems.length > 0) throw new Error(problems.join('; '));
      counts.postgresAccepted++;
    } catch (e) {
      counts.postgresRefused++;
      refusals.push(`case ${i} ${JSON.stringify(input)}: ${(e as Error).message.slice(0, 2000)}`);
    } finally {
      await server?.stop();
      hbaDir.remove();
    }
  }
  pkiDir.remove();
  console.log(`CnpgCluster parameters and pg_hba vs PostgreSQL 15: cases ${counts.cases}, synthesized ${counts.synthesized}, `
    + `refused with a clear error ${counts.libraryRefused}, accepted by postgres ${counts.postgresAccepted}, refused by postgres ${counts.postgresRefused}`);
  expect(refusals).toEqual([]);
  expect(counts.synthesized).toBeGreaterThanOrEqual(10);
  expect(counts.libraryRefused).toBeGreaterThan(0);
});

test('#11.17 the pg_hba forms the unit tests accept (peer, cert with clientcert, gss, IP and mask, quoted names) load in PostgreSQL 15', async () => {
  const pgHba = ACCEPTED_PG_HBA;
  const chart = Testing.chart();
  new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), pgHba });
  const rendered: string[] = synthValidated(chart).find((m) => m.kind === 'Cluster').spec.postgresql.pg_hba;
  const dir = serviceTempDir('cnpg-hba');
  const pki = makeTestPki(dir.path);
  const hbaFile = path.join(dir.path, 'pg_hba.conf');
  writeServiceFile(hbaFile, ['local all postgres trust', ...rendered].join('\n') + '\n');
  const conf = renderPostgresConf('postgresql.conf', Object.entries({ ssl: 'on', ssl_cert_file: pki.serverCertFile, ssl_key_file: pki.serverKeyFile, ssl_ca_file: pki.caFile, hba_file: hbaFile })
    .map(([key, value]) => ({ key, value })));
  const server = await PostgresServer.start({ conf });
  try {
    expect(server.query('SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL')).toBe(String(pgHba.length + 1));
    expect(server.query('SELECT coalesce(string_agg(error, \'; \'), \'\') FROM pg_hba_file_rules')).toBe('');
  } finally {
    await server.stop();
    dir.remove();
  }
});
