import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as YAML from 'yaml';
import { formatReport, LocalCluster } from './cluster';
import { KubeObject, loadManifests } from './manifests';
import { PodNetwork } from './network';
import { PrometheusAlert, PrometheusPeer } from './peers';
import { freePort } from '../contract/harness/ports';

jest.setTimeout(300_000);

/**
 * The monitored-postgres example, run from `npm run synth`'s dist/monitored-postgres, beside the
 * real Prometheus on the pods' network.
 *
 * What stands in for what:
 * - The database the exporter points at (postgresql-primary.database.svc, sslmode=require) is not
 *   part of the example: fixtures/monitored-postgres/database.yaml runs it from the postgres image,
 *   with SSL on and every non-SSL TCP login refused, and the exporter's role (pg_monitor).
 * - prometheus-operator is not here: Prometheus gets a static scrape config for the exporter pod
 *   (with the ServiceMonitor's relabeling, cluster=app-db) and the synthesized PrometheusRule's
 *   `spec.groups`, unchanged, as its rule file. Only the intervals are shortened (2 s scrape and
 *   evaluation instead of the ServiceMonitor's 30 s); no rule's `for:` or threshold is changed.
 */
const DIST = path.join(__dirname, '..', '..', 'dist', 'monitored-postgres');
const FIXTURES = path.join(__dirname, 'fixtures', 'monitored-postgres');
const EXPORTER = 'app-db-exporter';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function manifests(): KubeObject[] {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run "npm run synth" first`);
  return [...loadManifests([DIST]), ...loadManifests([path.join(FIXTURES, 'database.yaml')])];
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

beforeAll(() => {
  PodNetwork.cleanupLeftovers();
});

describe('monitored-postgres, run from its synthesized YAML', () => {
  const objects = manifests();
  const rule = objects.find((o) => o.kind === 'PrometheusRule')!;
  const monitor = objects.find((o) => o.kind === 'ServiceMonitor')!;
  let cluster: LocalCluster;
  let prometheus: PrometheusPeer;
  let exporterUrl: string;

  const alertsNamed = async (name: string): Promise<PrometheusAlert[]> => (await prometheus.alerts()).filter((a) => a.labels.alertname === name);

  beforeAll(async () => {
    cluster = await LocalCluster.up(objects, {
      secrets: loadManifests([path.join(FIXTURES, 'secrets.yaml')]),
      readyTimeoutMs: 90_000,
      keepLogsIn: process.env.E2E_LOGS,
    });
    const [exporter] = cluster.podsOf(EXPORTER);
    exporterUrl = `http://${exporter.ip}:9187`;
    // The ServiceMonitor's endpoint relabelings (replace -> a fixed label) become static labels.
    const labels = Object.fromEntries(monitor.spec.endpoints[0].relabelings
      .filter((r: any) => r.action === 'replace' && r.replacement !== undefined).map((r: any) => [r.targetLabel, r.replacement]));
    prometheus = await PrometheusPeer.start(cluster.hostAddress, await freePort(), {
      scrapeConfigs: [{ job_name: EXPORTER, metrics_path: '/metrics', static_configs: [{ targets: [`${exporter.ip}:9187`], labels }] }],
      ruleFiles: { 'postgres.rules.yml': YAML.stringify({ groups: rule.spec.groups }) },
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await cluster?.down();
  });

  test('the exporter connects to postgresql-primary.database.svc over SSL and serves the library\'s queries', async () => {
    // GIVEN the exporter pod and the database it points at, both ready
    const [exporter] = cluster.podsOf(EXPORTER);
    const [db] = cluster.podsOf('postgresql');
    expect(db.notReadyReasons()).toEqual([]);
    expect(exporter.notReadyReasons()).toEqual([]);
    // WHEN /metrics is scraped
    const metrics = await get(`${exporterUrl}/metrics`);
    // THEN PostgreSQL is up for it, and the queries.yaml metrics are there
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^pg_up 1$/m);
    expect(metrics.body).toMatch(/^pg_activity_age_max_query_seconds\{[^}]*\} \d/m);
    expect(metrics.body).toMatch(/^pg_connection_count_count\{[^}]*state="(active|idle)"[^}]*\} \d/m);
    expect(metrics.body).toMatch(/^pg_database_size_size_bytes\{[^}]*datname="myapp_production"[^}]*\} \d/m);
    // AND pg_stat_statements' top statements, labelled per user and database (the scrape does not fail)
    expect(metrics.body).toMatch(/^pg_statements_top_calls\{[^}]*usename="[^"]+"[^}]*\} \d/m);
    // AND the server saw the exporter's session come over SSL (non-SSL TCP logins are refused anyway)
    const ssl = await db.exec('postgres', ['psql', '-h', '/var/run/postgresql', '-U', 'postgres', '-Atc',
      "SELECT DISTINCT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'postgres_exporter'"]);
    expect(ssl).toEqual({ status: 0, output: 't\n' });
  });

  test('Prometheus loads the synthesized rule groups and scrapes the exporter', async () => {
    // GIVEN Prometheus with the PrometheusRule's groups as its rule file
    const groups = (await prometheus.api('rules')).groups;
    // THEN every group and rule is loaded, and none failed to evaluate
    expect(groups.map((g: any) => g.name).sort()).toEqual(rule.spec.groups.map((g: any) => g.name).sort());
    expect(groups.flatMap((g: any) => g.rules).length).toBe(rule.spec.groups.flatMap((g: any) => g.rules).length);
    // WHEN a few scrapes have happened
    let up: any[] = [];
    for (let i = 0; i < 30 && !(up.length === 1 && up[0].value[1] === '1'); i++) {
      await sleep(1000);
      up = await prometheus.query(`pg_up{job="${EXPORTER}",cluster="app-db"}`);
    }
    // THEN the exporter's target is up, its pg_up is 1 in Prometheus, and no alert fires
    const targets = (await prometheus.api('targets')).activeTargets.map((t: any) => ({ job: t.labels.job, health: t.health, lastError: t.lastError }));
    expect(targets).toEqual([{ job: EXPORTER, health: 'up', lastError: '' }]);
    expect(up.map((r) => r.value[1])).toEqual(['1']);
    const health = (await prometheus.api('rules')).groups.flatMap((g: any) => g.rules).filter((r: any) => r.health === 'err');
    expect(health.map((r: any) => `${r.name}: ${r.lastError}`)).toEqual([]);
    expect((await prometheus.alerts()).filter((a) => a.state === 'firing')).toEqual([]);
  });

  test('a long query makes PostgresLongRunningQuery fire; it resolves when the query is cancelled', async () => {
    // GIVEN the rule as synthesized: pg_activity_age_max_query_seconds > 60 for 1m
    const synthesized = rule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'PostgresLongRunningQuery');
    expect(synthesized).toMatchObject({ expr: 'pg_activity_age_max_query_seconds > 60', for: '1m' });
    expect(await alertsNamed('PostgresLongRunningQuery')).toEqual([]);
    // WHEN a client runs a query that does not end
    const [db] = cluster.podsOf('postgresql');
    const started = Date.now();
    const query = db.exec('postgres', ['psql', '-h', '/var/run/postgresql', '-U', 'postgres', '-d', 'myapp_production',
      '-c', 'SELECT pg_sleep(600) /* e2e long query */'], 400_000);
    let ended: string | undefined;
    void query.then((r) => (ended = r.output));
    await sleep(3000);
    expect(ended).toBeUndefined();
    // THEN the alert goes pending, then firing (after 60 s over the threshold and 1 m of `for`)
    let states: string[] = [];
    let firingAfter = 0;
    while (Date.now() - started < 240_000) {
      const alerts = await alertsNamed('PostgresLongRunningQuery');
      for (const a of alerts) if (!states.includes(a.state)) states = [...states, a.state];
      if (alerts.some((a) => a.state === 'firing')) {
        firingAfter = (Date.now() - started) / 1000;
        break;
      }
      await sleep(2000);
    }
    const age = (await prometheus.query('pg_activity_age_max_query_seconds')).map((r) => r.value[1]);
    console.log(`PostgresLongRunningQuery: states seen ${states.join(' -> ')}, firing ${firingAfter} s after the query started `
      + `(pg_activity_age_max_query_seconds ${age.join(', ')}); query ended early: ${ended ?? 'no'}; Prometheus log: ${prometheus.log().slice(-800) || 'empty'}`);
    expect(states).toEqual(['pending', 'firing']);
    expect(firingAfter).toBeGreaterThanOrEqual(120);
    const [firing] = await alertsNamed('PostgresLongRunningQuery');
    expect(firing.labels).toMatchObject({ severity: 'warning', cluster: 'app-db', job: EXPORTER });
    // WHEN the query is cancelled
    const cancel = await db.exec('postgres', ['psql', '-h', '/var/run/postgresql', '-U', 'postgres', '-Atc',
      "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%e2e long query%' AND pid <> pg_backend_pid()"]);
    expect(cancel).toEqual({ status: 0, output: 't\n' });
    expect((await query).output).toContain('canceling statement due to user request');
    // THEN the alert resolves within a few scrapes and evaluations
    const cancelled = Date.now();
    let remaining = await alertsNamed('PostgresLongRunningQuery');
    while (remaining.length && Date.now() - cancelled < 30_000) {
      await sleep(1000);
      remaining = await alertsNamed('PostgresLongRunningQuery');
    }
    console.log(`PostgresLongRunningQuery resolved ${(Date.now() - cancelled) / 1000} s after the cancel`);
    expect(remaining).toEqual([]);
  }, 420_000);

  test('connections filled and archiving broken: both alerts fire after their 5 minutes, the critical connections alert does not; both resolve when mended', async () => {
    // GIVEN the rules as synthesized (thresholds and `for:` unchanged)
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(rules.find((r: any) => r.alert === 'PostgresConnectionsHigh')).toMatchObject({ for: '5m', expr: expect.stringMatching(/ > 0\.8$/) });
    expect(rules.find((r: any) => r.alert === 'PostgresConnectionsExhausted')).toMatchObject({ for: '5m', expr: expect.stringMatching(/ > 0\.95$/) });
    expect(rules.find((r: any) => r.alert === 'PostgresWalArchivingFailing')).toMatchObject({ for: '5m', expr: 'pg_archiver_failing == 1' });
    const [db] = cluster.podsOf('postgresql');
    const sql = (query: string) => db.exec('postgres', ['psql', '-X', '-v', 'ON_ERROR_STOP=1', '-h', '/var/run/postgresql', '-U', 'postgres', '-d', 'myapp_production', '-Atc', query]);
    // WHEN 85 clients hold connections (pgbench, each running pg_sleep(1) in a loop): 85+ of the
    // 97 non-reserved slots, over the 80% warning and under the 95% critical threshold
    const clients = db.exec('postgres', ['sh', '-c', "echo 'SELECT pg_sleep(1);' > /tmp/sleep.sql && "
      + 'exec pgbench -h /var/run/postgresql -U postgres -n -c 85 -j 4 -T 900 -f /tmp/sleep.sql myapp_production'], 1_000_000);
    // AND archive_command starts failing, with a segment to archive
    expect(await sql("ALTER SYSTEM SET archive_command = 'false'")).toMatchObject({ status: 0 });
    expect(await sql('SELECT pg_reload_conf()')).toMatchObject({ status: 0 });
    expect(await sql('CREATE TABLE IF NOT EXISTS e2e_wal (n int); INSERT INTO e2e_wal VALUES (1); SELECT pg_switch_wal()')).toMatchObject({ status: 0 });
    const started = Date.now();
    // THEN both warnings/criticals fire after their `for:`, and PostgresConnectionsExhausted never shows up
    const wanted = ['PostgresConnectionsHigh', 'PostgresWalArchivingFailing'];
    const firingAt: Record<string, number> = {};
    let exhausted: PrometheusAlert[] = [];
    while (Date.now() - started < 480_000 && wanted.some((a) => firingAt[a] === undefined)) {
      const alerts = await prometheus.alerts();
      for (const a of alerts) if (a.state === 'firing' && wanted.includes(a.labels.alertname)) firingAt[a.labels.alertname] ??= (Date.now() - started) / 1000;
      exhausted = [...exhausted, ...alerts.filter((a) => a.labels.alertname === 'PostgresConnectionsExhausted')];
      await sleep(3000);
    }
    const usage = (await prometheus.query('sum(pg_connection_count_count)')).map((r) => r.value[1]);
    const failing = (await prometheus.query('pg_archiver_failing')).map((r) => r.value[1]);
    console.log(`faults: firing after ${JSON.stringify(firingAt)} s; connections ${usage.join(', ')}; pg_archiver_failing ${failing.join(', ')}`);
    expect(Object.keys(firingAt).sort()).toEqual(wanted);
    for (const a of wanted) expect(firingAt[a]).toBeGreaterThanOrEqual(300);
    expect(exhausted).toEqual([]);
    const firing = await prometheus.alerts();
    expect(firing.find((a) => a.labels.alertname === 'PostgresWalArchivingFailing')?.labels).toMatchObject({ severity: 'critical', cluster: 'app-db' });
    expect(firing.find((a) => a.labels.alertname === 'PostgresConnectionsHigh')?.labels).toMatchObject({ severity: 'warning', cluster: 'app-db' });
    // WHEN the clients are disconnected and archive_command is mended
    expect(await sql("SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity WHERE application_name = 'pgbench'")).toMatchObject({ status: 0, output: 't\n' });
    await clients;
    expect(await sql("ALTER SYSTEM SET archive_command = 'true'")).toMatchObject({ status: 0 });
    expect(await sql('SELECT pg_reload_conf()')).toMatchObject({ status: 0 });
    const mended = Date.now();
    // THEN both resolve (the archiver retries the segment within a minute)
    let remaining = wanted;
    while (remaining.length > 0 && Date.now() - mended < 150_000) {
      await sleep(2000);
      const names = (await prometheus.alerts()).map((a) => a.labels.alertname);
      remaining = wanted.filter((a) => names.includes(a));
    }
    console.log(`faults mended: alerts still active after ${(Date.now() - mended) / 1000} s: ${remaining.join(', ') || 'none'}`);
    expect(remaining).toEqual([]);
  }, 720_000);

  test('the report: the exporter and the database pass; the operator objects need an API server', async () => {
    // WHEN everything is stopped
    const lines = formatReport(await cluster.down());
    // THEN
    expect(lines).toEqual([
      expect.stringMatching(/^SKIP ServiceMonitor .*needs an API server/),
      expect.stringMatching(/^SKIP PrometheusRule .*needs an API server/),
      expect.stringMatching(new RegExp(`^PASS Deployment ${EXPORTER} \\(1/1 ready in [\\d.]+ s; stopped cleanly\\)$`)),
      expect.stringMatching(/^PASS StatefulSet postgresql \(1\/1 ready in [\d.]+ s; stopped cleanly\)$/),
      '2 passed, 0 failed, 2 not runnable here',
    ]);
  });
});
