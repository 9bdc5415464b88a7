import * as net from 'net';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { httpGet, metricNamesIn } from './http';
import { freePort } from './ports';
import { PostgresServer } from './postgres';
import { serviceTempDir, startService, waitFor, writeServiceFile } from './processes';
import { program } from './programs';
import { PgStatStatements, PostgresExporter, PostgresExporterProps, SecretKeyRef } from '../../../src';
import { renderPostgresConf } from '../../../src/core/render/postgres-conf';

export interface ScrapeOptions {
  /** Props of the synthesized exporter beyond its connection (queries, databases, ...). */
  readonly props?: Partial<PostgresExporterProps>;
  /** Connect through this loopback address: "::1" goes through a proxy to the server. @default "127.0.0.1" */
  readonly host?: string;
  /** SQL run before the exporter starts, each `[database, sql]`. */
  readonly setup?: Array<[string, string]>;
}

/**
 * The real postgres_exporter run as the construct synthesizes it (its args, its env, the
 * queries.yaml from its ConfigMap), against PostgreSQL 15 with pg_stat_statements.
 */
export async function scrapeExporter(options: ScrapeOptions = {}): Promise<{ metrics: Set<string>; exposition: string; log: string }> {
  const server = await PostgresServer.start({
    conf: renderPostgresConf('postgresql.conf', PgStatStatements.postgresSettings().map((s) => ({ key: s.name, value: s.value }))),
  });
  server.query(PgStatStatements.CREATE_EXTENSION_SQL);
  // Something for every query to report: a table with dead tuples, a slot, some statements.
  server.query("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); DELETE FROM t WHERE id < 500; SELECT pg_create_physical_replication_slot('standby_1')");
  for (const [database, sql] of options.setup ?? []) server.query(sql, database);
  const dir = serviceTempDir('exporter');
  // A WAL streaming client, so pg_stat_replication has a row (pg_receivewal stands in for a standby).
  const receiver = startService('pg_receivewal', program('pg_receivewal'), ['-D', dir.path, '-S', 'standby_1', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-n']);
  await waitFor('a replication client', () => server.query('SELECT count(*) FROM pg_stat_replication') === '1', 15_000, receiver);
  const proxy = options.host === '::1' ? await loopbackProxy('::1', server.port) : undefined;

  const chart = Testing.chart();
  const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'exporter'), 'password');
  new PostgresExporter(chart, 'Exporter', {
    clusterName: 'test',
    ...options.props,
    connection: { host: options.host ?? '127.0.0.1', port: proxy?.port ?? server.port, user: 'postgres', password, ...options.props?.connection },
  });
  const manifests = Testing.synth(chart);
  const container = manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'postgres-exporter');
  const queries = path.join(dir.path, 'queries.yaml');
  writeServiceFile(queries, manifests.find((m) => m.kind === 'ConfigMap').data['queries.yaml']);
  const port = await freePort();
  // The synthesized args, with the ConfigMap's mount and the listen port moved to this machine.
  const args = (container.args as string[]).map((a) => a.startsWith('--extend.query-path=') ? `--extend.query-path=${queries}` : a.startsWith('--web.listen-address=') ? `--web.listen-address=127.0.0.1:${port}` : a);
  // The synthesized env; the Secret's value is irrelevant with trust authentication.
  const env = Object.fromEntries((container.env as any[]).map((e) => [e.name, e.value ?? 'from-secret']));
  const exporter = startService('postgres_exporter', program('prometheus_postgres_exporter'), args, { env });
  let exposition = '';
  await waitFor('postgres_exporter to report pg_up 1', () => {
    void httpGet(`http://127.0.0.1:${port}/metrics`).then((body) => (exposition = body), () => undefined);
    return /^pg_up 1$/m.test(exposition);
  }, 30_000, exporter);
  // One more full scrape after startup, so every query has run.
  exposition = await httpGet(`http://127.0.0.1:${port}/metrics`);
  await exporter.stop();
  await receiver.stop();
  proxy?.close();
  await server.stop();
  return { metrics: metricNamesIn(exposition), exposition, log: exporter.output };
}

/** A TCP proxy from `address` (e.g. the IPv6 loopback) to 127.0.0.1:`target`, on a free port. */
async function loopbackProxy(address: string, target: number): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => proxy.once('error', reject).listen(0, address, resolve));
  return { port: (proxy.address() as net.AddressInfo).port, close: () => { for (const s of sockets) s.destroy(); proxy.close(); } };
}
