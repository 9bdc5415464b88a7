import * as path from 'path';
import { App } from 'cdk8s';
import { formatReport, LocalCluster } from './cluster';
import { loadImageFile } from './images';
import { KubeObject, loadManifests, parseManifests } from './manifests';
import { PodNetwork } from './network';
import { PooledWebAppChart } from '../../examples/pooled-web-app/chart';

jest.setTimeout(300_000);

const FIXTURES = path.join(__dirname, 'fixtures', 'pooled-web-app');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The example's own YAML, as `npm run synth` writes it, plus the database it points at (a fixture). */
function manifests(): KubeObject[] {
  const app = new App();
  new PooledWebAppChart(app, 'pooled-web-app');
  return [...parseManifests(app.synthYaml(), 'pooled-web-app'), ...loadManifests([path.join(FIXTURES, 'database.yaml')])];
}

const options = () => ({
  secrets: loadManifests([path.join(FIXTURES, 'secrets.yaml')]),
  images: loadImageFile(path.join(FIXTURES, 'images.yaml')),
  readyTimeoutMs: 90_000,
});

const containersOf = (o: KubeObject): string[] => (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.name);
/** The Deployment of the app (its pods run the app beside the PgBouncer sidecar). */
const webOf = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Deployment' && containersOf(o).includes('app'))!;
/** The standalone PgBouncer Deployment and the Service in front of it (names as the example gives them). */
const reportsOf = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Deployment' && !containersOf(o).includes('app') && containersOf(o).includes('pgbouncer'))!;
const serviceOf = (objects: KubeObject[], deployment: KubeObject) => objects.find((o) => o.kind === 'Service'
  && Object.entries(o.spec.selector ?? {}).every(([k, v]) => deployment.spec.template.metadata.labels[k] === v))!;

beforeAll(() => {
  PodNetwork.cleanupLeftovers();
});

describe('pooled-web-app, run from its synthesized YAML', () => {
  const objects = manifests();
  const web = webOf(objects).metadata.name;
  const reports = reportsOf(objects).metadata.name;
  const reportsService = serviceOf(objects, reportsOf(objects)).metadata.name;
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await LocalCluster.up(objects, options());
  });

  afterAll(async () => {
    await cluster?.down();
  });

  test('a client in the app pod reaches PostgreSQL through its PgBouncer sidecar on localhost', async () => {
    // GIVEN the web pods, ready
    const pods = cluster.podsOf(web);
    expect(pods.map((p) => p.ready)).toEqual([true, true, true]);
    // WHEN a client runs in the app container with the env the library wired (PGHOST=localhost, PGPORT=6432, ...)
    const result = await pods[0].exec('app', ['psql', '-Atc', "select current_user || '@' || current_database() || ' from ' || inet_client_addr()"]);
    // THEN it reaches the database through the sidecar: the server sees the pod's own address (PgBouncer's)
    expect(result).toEqual({ status: 0, output: `myapp@myapp_production from ${pods[0].ip}/32\n` });
    expect(pods[0].container('app')!.output).toContain('app reached myapp_production as myapp');
  });

  test('the standalone pooler Service serves a client in another pod', async () => {
    // GIVEN the reports pooler's Service, resolved by name in the web pod
    const target = cluster.serviceTarget(reportsService)!;
    expect(target.workload.name).toBe(reports);
    // WHEN the app pod's client connects to the Service by name
    const result = await cluster.podsOf(web)[1].exec('app', ['psql', '-h', reportsService, '-p', '6432', '-d', 'reports', '-Atc', 'select current_database()']);
    // THEN the pooler serves it from the replica's database
    expect(result).toEqual({ status: 0, output: 'myapp_production\n' });
  });

  test('SIGTERM drains: a query in flight through the deleted pooler pod completes (preStop), the Service moves on', async () => {
    // GIVEN a session through the Service, in the middle of an 8 s query
    const target = cluster.serviceTarget(reportsService)!;
    const client = cluster.podsOf(web)[2];
    const query = client.exec('app', ['psql', '-h', reportsService, '-p', '6432', '-d', 'reports', '-Atc', 'select pg_sleep(8), 42'], 60_000);
    await sleep(1500);
    // WHEN its pod is deleted (preStop: sleep 5, SIGINT to PgBouncer, wait; then SIGTERM)
    const started = Date.now();
    await cluster.deletePod(target.name);
    // THEN the query completes, the hook ran its course, and new clients go to the other pod
    expect(await query).toEqual({ status: 0, output: '|42\n' });
    expect(target.problems).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    const next = cluster.serviceTarget(reportsService)!;
    expect(next.name).not.toBe(target.name);
    expect(await client.exec('app', ['psql', '-h', reportsService, '-p', '6432', '-d', 'reports', '-Atc', 'select 1'])).toEqual({ status: 0, output: '1\n' });
  });

  test('the control: without the preStop hook the same query is cut by SIGTERM', async () => {
    // GIVEN the last reports pooler pod, its hook removed (the spec is read at termination)
    const target = cluster.serviceTarget(reportsService)!;
    for (const c of target.spec.containers) delete c.lifecycle;
    const query = cluster.podsOf(web)[2].exec('app', ['psql', '-h', reportsService, '-p', '6432', '-d', 'reports', '-Atc', 'select pg_sleep(8), 42'], 60_000);
    await sleep(1500);
    // WHEN its pod is deleted
    await cluster.deletePod(target.name);
    // THEN PgBouncer's immediate shutdown drops the client
    const result = await query;
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('server closed the connection unexpectedly');
  });

  test('the report: every workload passes or says why it cannot run here', async () => {
    // WHEN everything is stopped
    const lines = formatReport(await cluster.down());
    // THEN
    expect(lines).toEqual([
      expect.stringMatching(/^SKIP PodMonitor .*needs an API server/),
      expect.stringMatching(new RegExp(`^PASS Deployment ${web} \\(3/3 ready in [\\d.]+ s; stopped cleanly \\(preStop of pgbouncer ran\\)\\)$`)),
      expect.stringMatching(new RegExp(`^SKIP Deployment ${reports} \\(container exporter: cannot run image quay.io/prometheuscommunity/pgbouncer-exporter:v0.7.0 here`)),
      expect.stringMatching(/^PASS StatefulSet app-db \(1\/1 ready/),
      '2 passed, 0 failed, 2 not runnable here',
    ]);
  });
});

describe('a broken wiring fails, naming the pod, the container and what it could not reach', () => {
  test('the sidecar\'s config mounted where PgBouncer does not read it', async () => {
    // GIVEN the web Deployment with its PgBouncer config mounted at /etc/pgbouncer/conf (the command reads .../config)
    const all = manifests();
    const web = webOf(all) as any;
    const objects = all.filter((o) => o === web || o.kind === 'ConfigMap' || o.metadata.namespace === 'database');
    web.spec.replicas = 1;
    const pgbouncer = web.spec.template.spec.containers.find((c: any) => c.name === 'pgbouncer');
    pgbouncer.volumeMounts.find((m: any) => m.mountPath === '/etc/pgbouncer/config').mountPath = '/etc/pgbouncer/conf';
    // WHEN it runs
    const cluster = await LocalCluster.up(objects, { ...options(), readyTimeoutMs: 40_000 });
    const outcomes = await cluster.down();
    // THEN the web Deployment fails, saying which pod and container could not reach what
    const line = formatReport(outcomes).find((l) => l.includes(web.metadata.name))!;
    const pod = `pod ${web.metadata.name}-a`;
    expect(line).toMatch(/^FAIL Deployment /);
    expect(line).toContain(`${pod} container pgbouncer exited 1`);
    expect(line).toContain('/etc/pgbouncer/config/pgbouncer.ini');
    expect(line).toMatch(new RegExp(`${pod} container app exited \\d+( \\(\\d+ times\\))?: .*localhost.*6432`));
    expect(formatReport(outcomes).pop()).toBe('1 passed, 1 failed, 0 not runnable here');
  });
});
