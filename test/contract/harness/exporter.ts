import * as path from 'path';
import { httpGet, metricNamesIn } from './http';
import { freePort } from './ports';
import { PostgresServer } from './postgres';
import { serviceTempDir, startService, waitFor, writeServiceFile } from './processes';
import { program } from './programs';
import { ExporterQueries, PgStatStatements } from '../../../src';
import { renderPostgresConf } from '../../../src/core/render/postgres-conf';
import { renderQueriesYaml } from '../../../src/monitoring/queries-yaml';

/** The real postgres_exporter with the rendered queries.yaml, scraping PostgreSQL 15. */
export async function scrapeExporter(): Promise<{ metrics: Set<string>; exposition: string; log: string }> {
  const server = await PostgresServer.start({
    conf: renderPostgresConf('postgresql.conf', PgStatStatements.postgresSettings().map((s) => ({ key: s.name, value: s.value }))),
  });
  server.query(PgStatStatements.CREATE_EXTENSION_SQL);
  // Something for every query to report: a table with dead tuples, a slot, some statements.
  server.query("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); DELETE FROM t WHERE id < 500; SELECT pg_create_physical_replication_slot('standby_1')");
  const dir = serviceTempDir('exporter');
  // A WAL streaming client, so pg_stat_replication has a row (pg_receivewal stands in for a standby).
  const receiver = startService('pg_receivewal', program('pg_receivewal'), ['-D', dir.path, '-S', 'standby_1', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-n']);
  await waitFor('a replication client', () => server.query('SELECT count(*) FROM pg_stat_replication') === '1', 15_000, receiver);
  const queries = path.join(dir.path, 'queries.yaml');
  writeServiceFile(queries, renderQueriesYaml(ExporterQueries.defaults()));
  const port = await freePort();
  const exporter = startService('postgres_exporter', program('prometheus_postgres_exporter'), [`--extend.query-path=${queries}`, `--web.listen-address=127.0.0.1:${port}`], {
    env: { DATA_SOURCE_NAME: `postgresql://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable` },
  });
  let exposition = '';
  await waitFor('postgres_exporter to report pg_up 1', () => {
    void httpGet(`http://127.0.0.1:${port}/metrics`).then((body) => (exposition = body), () => undefined);
    return /^pg_up 1$/m.test(exposition);
  }, 30_000, exporter);
  // One more full scrape after startup, so every query has run.
  exposition = await httpGet(`http://127.0.0.1:${port}/metrics`);
  await exporter.stop();
  await receiver.stop();
  await server.stop();
  return { metrics: metricNamesIn(exposition), exposition, log: exporter.output };
}
