import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ExporterDatabases, ExporterQueries, PostgresExporter, SecretKeyRef } from '../../src';
import { scrapeExporter } from './harness/exporter';
import { httpGet, metricNamesIn } from './harness/http';
import { freePort } from './harness/ports';
import { startService, stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';
import { metricNames } from '../../src/monitoring/queries-yaml';

jest.setTimeout(180_000);
afterAll(stopAllServices);

const PASSWORD_LITERAL = 'hunter2-Secret-4711';

describe('postgres_exporter 0.11, run as the construct synthesizes it, against PostgreSQL 15', () => {
  let scrape: Awaited<ReturnType<typeof scrapeExporter>>;
  beforeAll(async () => {
    scrape = await scrapeExporter({
      setup: [
        // Statements whose text carries a password literal: pg_stat_statements keeps the literals
        // of utility statements.
        ['postgres', `CREATE ROLE app_user LOGIN PASSWORD '${PASSWORD_LITERAL}'`],
        ['postgres', `ALTER ROLE app_user PASSWORD '${PASSWORD_LITERAL}'`],
        ['postgres', 'SELECT count(*) FROM pg_stat_statements'],
        // The application's own database, with a table full of dead tuples.
        ['postgres', 'CREATE DATABASE app'],
        ['app', 'CREATE TABLE orders (id int); INSERT INTO orders SELECT generate_series(1, 2000); DELETE FROM orders WHERE id <= 1500'],
        ['app', 'SELECT pg_stat_force_next_flush()'],
        // One slow statement in two databases (slow, so it is among the top ones): pg_stat_statements keeps a row per user, database and
        // queryid, so a query labelled by queryid alone makes the exporter answer 500 ("collected
        // before with the same name and label values") and Prometheus loses the whole target.
        ['postgres', 'SELECT pg_sleep(0.3)'],
        ['app', 'SELECT pg_sleep(0.3)'],
      ],
    });
  });

  test('every custom query runs: its metrics appear, named <query>_<column>', () => {
    const expected = ExporterQueries.defaults().flatMap(metricNames);
    const missing = expected.filter((name) => !scrape.metrics.has(name));
    expect(missing).toEqual([]);
    expect(scrape.metrics.has('pg_connection_count_count')).toBe(true);
  });

  test('the exporter logged no query error', () => {
    expect(scrape.log).not.toMatch(/level=error/);
  });

  test('#11.3 no series carries statement text: a password literal in a statement never reaches a scrape', () => {
    expect(scrape.exposition).toMatch(/^pg_statements_top_calls\{[^}]*queryid="-?\d+"/m);
    expect(scrape.exposition).not.toContain(PASSWORD_LITERAL);
    expect(scrape.exposition).not.toMatch(/\bquery="/);
  });

  test('#13 one statement run in two databases gives two series, told apart by datname (the scrape used to fail with 500)', () => {
    const lines = scrape.exposition.split('\n').filter((l) => l.startsWith('pg_statements_top_calls{') && /datname="(app|postgres)"/.test(l));
    const byQuery = new Map<string, Set<string>>();
    for (const line of lines) {
      const queryid = /queryid="(-?\d+)"/.exec(line)![1];
      byQuery.set(queryid, new Set([...(byQuery.get(queryid) ?? []), /datname="([^"]+)"/.exec(line)![1]]));
    }
    expect([...byQuery.values()].some((databases) => databases.has('app') && databases.has('postgres'))).toBe(true);
  });

  test('#11.4 per-table queries run in the application\'s database: a dead-tuple series for app.orders', () => {
    const line = scrape.exposition.split('\n').find((l) => l.startsWith('pg_table_tuples_dead{') && l.includes('datname="app"') && l.includes('relname="orders"'));
    expect(line).toMatch(/ 1500$/);
  });
});

describe('#11.5 the connection URI is built from validated, escaped parts', () => {
  test('#11.5 the synthesized DSN reaches PostgreSQL over 127.0.0.1 and over the IPv6 loopback ::1', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const { exposition } = await scrapeExporter({ host, props: { databases: ExporterDatabases.CONNECTION_ONLY } });
      expect([host, /^pg_up 1$/m.test(exposition)]).toEqual([host, true]);
    }
  });
});

describe('#11.7 liveness', () => {
  test('#11.7 the liveness probe\'s path answers 200 while PostgreSQL is down (pg_up 0): an outage does not restart the exporter', async () => {
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'exporter'), 'password');
    new PostgresExporter(chart, 'Exporter', { clusterName: 'test', connection: { host: '127.0.0.1', port: await freePort(), user: 'postgres', password } });
    const container = Testing.synth(chart).find((m) => m.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/', port: 9187 });
    const port = await freePort();
    const env = Object.fromEntries((container.env as any[]).map((e) => [e.name, e.value ?? 'from-secret']));
    const exporter = startService('postgres_exporter', program('prometheus_postgres_exporter'), [`--web.listen-address=127.0.0.1:${port}`], { env });
    let metrics = '';
    await waitFor('a scrape', () => {
      void httpGet(`http://127.0.0.1:${port}/metrics`).then((body) => (metrics = body), () => undefined);
      return metricNamesIn(metrics).has('pg_up');
    }, 30_000, exporter);
    expect(metrics).toMatch(/^pg_up 0$/m);
    await expect(httpGet(`http://127.0.0.1:${port}${container.livenessProbe.httpGet.path}`)).resolves.toBeDefined();
    await exporter.stop();
  });
});
