import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatReport, LocalCluster, Outcome } from './cluster';
import { loadImageFile } from './images';
import { KubeObject, loadManifests } from './manifests';
import { PodNetwork } from './network';
import { PushgatewayPeer, WebhookPeer } from './peers';
import { S3Peer } from './s3-peer';
import { freePort } from '../contract/harness/ports';

jest.setTimeout(300_000);

/**
 * The backed-up-postgres example, run from `npm run synth`'s dist/backed-up-postgres, beside a
 * webhook receiver and the real Pushgateway on the pods' network.
 *
 * What stands in for what (say it where a result depends on it):
 * - The database runs the team's postgres image with pgBackRest added; fixtures/backed-up-postgres/
 *   images.yaml maps it to the harness' postgres entrypoint stand-in (initdb, then postgres with
 *   the container's args, which read the mounted postgresql.conf) and the Debian pgBackRest.
 *   The restore-test Jobs run the Spilo image with their own command; the same file maps it.
 * - S3: the example's repository is S3 at s3.eu-west-1.amazonaws.com (host-style, TLS, port 443).
 *   s3rver (npm) stands in for it on the host's bridge address, port 443, with a certificate for
 *   the bucket's host name from the test's CA, which every image trusts as its CA bundle (as a
 *   public CA would be); the bucket's host name resolves to it in every pod. It checks each request's
 *   signature against the keys of the pgbackrest-s3 Secret. What it does not emulate: lifecycle
 *   rules, object lock, KMS, throttling, AWS' exact error bodies.
 */
const DIST = path.join(__dirname, '..', '..', 'dist', 'backed-up-postgres');
const FIXTURES = path.join(__dirname, 'fixtures', 'backed-up-postgres');
const BUCKET = 'acme-db-backups';
const S3_HOST = `${BUCKET}.s3.eu-west-1.amazonaws.com`;

/** The synthesized YAML, unchanged. */
function manifests(): KubeObject[] {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run "npm run synth" first`);
  return loadManifests([DIST]);
}

interface KeyPair {
  readonly crt: string;
  readonly key: string;
}

/**
 * A CA, the pgBackRest server's certificate (for app-db-0.app-db), the backup client's (CN
 * pgbackrest-backup, as tls-server-auth wants) and the S3 endpoint's (the bucket's host name).
 */
function makePki(dir: string): { ca: string; server: KeyPair; client: KeyPair; s3: KeyPair } {
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=e2e-ca', '-keyout', f('ca.key'), '-out', f('ca.crt'));
  const issue = (name: string, cn: string, ext: string) => {
    fs.writeFileSync(f(`${name}.ext`), `${ext}\n`);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`));
    openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-out', f(`${name}.crt`), '-extfile', f(`${name}.ext`));
  };
  issue('server', 'app-db-0.app-db', 'subjectAltName=DNS:app-db-0.app-db,DNS:app-db-0.app-db.default.svc,DNS:app-db-0.app-db.default.svc.cluster.local');
  issue('client', 'pgbackrest-backup', 'extendedKeyUsage=clientAuth');
  issue('s3', S3_HOST, `subjectAltName=DNS:${S3_HOST}`);
  const read = (name: string) => fs.readFileSync(f(name), 'utf8');
  return {
    ca: read('ca.crt'),
    server: { crt: read('server.crt'), key: read('server.key') },
    client: { crt: read('client.crt'), key: read('client.key') },
    s3: { crt: read('s3.crt'), key: read('s3.key') },
  };
}

const secret = (name: string, stringData: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData });

/** The CronJob whose notifier describes its work as `description` (names carry hashes; descriptions do not). */
function cronJobBy(objects: KubeObject[], description: string): string {
  const found = objects.filter((o) => o.kind === 'CronJob' && o.spec.jobTemplate.spec.template.spec.containers
    .some((c: any) => (c.env ?? []).some((e: any) => e.name === 'JOB_DESCRIPTION' && e.value === description)));
  if (found.length !== 1) throw new Error(`expected one CronJob described as "${description}", found ${found.length}`);
  return found[0].metadata.name;
}

const SEED_SQL: [string, string][] = [['postgres', `
CREATE ROLE backup LOGIN PASSWORD 'e2e-backup-pass-5d0e' IN ROLE pg_read_all_data`], ['postgres', 'CREATE DATABASE myapp_production'], ['myapp_production', `
CREATE TABLE orders (id bigserial PRIMARY KEY, amount numeric NOT NULL, inserted_at timestamptz NOT NULL DEFAULT now());
INSERT INTO orders (amount) SELECT g * 1.5 FROM generate_series(1, 1500) g;`]];

beforeAll(() => {
  PodNetwork.cleanupLeftovers();
});

describe('backed-up-postgres, run from its synthesized YAML', () => {
  const objects = manifests();
  const full = cronJobBy(objects, 'pgBackRest full backup of stanza app-db');
  const incr = cronJobBy(objects, 'pgBackRest incr backup of stanza app-db');
  const dump = cronJobBy(objects, 'pg_dump of database myapp_production');
  const restoreTest = cronJobBy(objects, 'Restore test of app-db');
  const dumpRestoreTest = cronJobBy(objects, 'Restore test of myapp_production');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pge2e-backed-up-postgres-'));
  let cluster: LocalCluster;
  let webhook: WebhookPeer;
  let pushgateway: PushgatewayPeer;
  let s3: S3Peer;
  const jobs = new Map<string, Outcome>();

  const runJob = async (name: string): Promise<Outcome> => {
    const [outcome] = await cluster.runJobs((w) => w.name === name);
    jobs.set(name, outcome);
    return outcome;
  };
  /** A finished Job pod's container log (kept until the cluster is down). */
  const logOf = (podName: string, container: string) => cluster.pods.find((p) => p.name === podName)?.container(container)?.output ?? '';

  beforeAll(async () => {
    const pki = makePki(tmp);
    const hookPort = await freePort();
    const fixtureSecrets = loadManifests([path.join(FIXTURES, 'secrets.yaml')]);
    const secrets = [
      ...fixtureSecrets,
      secret('pgbackrest-server-tls', { 'tls.crt': pki.server.crt, 'tls.key': pki.server.key, 'ca.crt': pki.ca }),
      secret('pgbackrest-client-tls', { 'tls.crt': pki.client.crt, 'tls.key': pki.client.key, 'ca.crt': pki.ca }),
      secret('ops-slack-webhook', { url: `http://hooks.ops.svc.cluster.local:${hookPort}/services/e2e` }),
    ];
    cluster = await LocalCluster.up(objects, {
      secrets,
      images: loadImageFile(path.join(FIXTURES, 'images.yaml')),
      caBundle: path.join(tmp, 'ca.crt'),
      readyTimeoutMs: 90_000,
      jobTimeoutMs: 120_000,
      keepLogsIn: process.env.E2E_LOGS,
    });
    // The peers listen on the bridge's host address only; the manifests' names resolve to it.
    webhook = await WebhookPeer.start(cluster.hostAddress, hookPort);
    pushgateway = await PushgatewayPeer.start(cluster.hostAddress, 9091);
    cluster.addPeerService('hooks', 'ops');
    cluster.addPeerService('pushgateway', 'monitoring');
    const s3Keys = fixtureSecrets.find((o) => o.metadata.name === 'pgbackrest-s3')!.stringData;
    s3 = await S3Peer.start({
      address: cluster.hostAddress,
      buckets: [BUCKET],
      tlsCert: pki.s3.crt,
      tlsKey: pki.s3.key,
      accessKeyId: s3Keys['access-key-id'],
      secretAccessKey: s3Keys['secret-access-key'],
    });
    cluster.addPeerHost(S3_HOST);
    // The application's data and the role the dump job logs in as (the example leaves both to its users).
    const db = cluster.podsOf('app-db')[0];
    for (const [database, sql] of db?.ready ? SEED_SQL : []) {
      const seeded = await db.exec('postgres', ['psql', '-X', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', database, '-c', sql]);
      if (seeded.status !== 0) throw new Error(`seeding the database failed: ${seeded.output}`);
    }
  });

  afterAll(async () => {
    const outcomes = await cluster?.down();
    if (outcomes) console.log(formatReport(outcomes).join('\n'));
    await webhook?.stop();
    await pushgateway?.stop();
    await s3?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the pgBackRest server sidecar starts beside the database, shares its socket and serves TLS with the synthesized certificates', async () => {
    // GIVEN the database pod (the postgres entrypoint stand-in, see images.yaml)
    const [db] = cluster.podsOf('app-db');
    // THEN it is ready: PostgreSQL on 5432 and the sidecar's TLS server on 8432
    expect(db.notReadyReasons()).toEqual([]);
    expect(db.ready).toBe(true);
    expect(db.container('pgbackrest-server')!.running).toBe(true);
    // AND the sidecar sees PostgreSQL's socket in the shared directory
    const socket = await db.exec('pgbackrest-server', ['ls', '-a', '/var/run/postgresql']);
    expect(socket.output).toContain('.s.PGSQL.5432');
    // WHEN a TLS client with the backup job's certificate connects by the name the jobs use
    const handshake = execFileSync('/bin/sh', ['-c', `echo | timeout 10 openssl s_client -connect ${db.ip}:8432 -CAfile ca.crt -cert client.crt -key client.key `
      + '-verify_return_error -verify_hostname app-db-0.app-db 2>&1 || true'], { cwd: tmp, encoding: 'utf8' });
    // THEN the server's certificate verifies for app-db-0.app-db
    expect(handshake).toContain('Verify return code: 0 (ok)');
  });

  // Regression: the example used to run Spilo without ever giving it archive_command (the sidecar
  // only mounted pgbackrest.conf and the secrets), so WAL never reached pgBackRest and
  // point-in-time recovery from the repository was impossible. It now mounts a PostgresConfig.
  test('the database archives WAL through pgBackRest: its container carries archive_command = pgbackrest ... archive-push %p', () => {
    // GIVEN the StatefulSet's database container and everything it is given
    const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'app-db')!;
    const container = sts.spec.template.spec.containers.find((c: any) => c.name === 'postgres');
    const mounted = new Set((container.volumeMounts ?? []).map((m: any) => m.name));
    const configMaps = (sts.spec.template.spec.volumes ?? []).filter((v: any) => mounted.has(v.name) && v.configMap)
      .map((v: any) => v.configMap.name);
    const given = JSON.stringify([container.env, container.args, container.command,
      ...objects.filter((o) => o.kind === 'ConfigMap' && configMaps.includes(o.metadata.name)).map((o) => o.data)]);
    // THEN somewhere (env such as SPILO_CONFIGURATION, args, a mounted postgresql.conf) it sets archive_command
    expect(given).toContain('--stanza=app-db archive-push %p');
  });

  test('the running server has read the mounted postgresql.conf: archiving through pgBackRest is on', async () => {
    // GIVEN the running database pod
    const [db] = cluster.podsOf('app-db');
    // WHEN the server is asked over its socket
    const shown = await db.exec('postgres', ['psql', '-h', '/var/run/postgresql', '-U', 'postgres', '-Atc',
      "SELECT current_setting('archive_mode') || ' ' || current_setting('archive_command')"]);
    // THEN the file's settings, not initdb's, are in force
    expect(shown.output).toContain('on pgbackrest --config=/etc/pgbackrest/conf/pgbackrest.conf --stanza=app-db archive-push %p');
  });

  test('the pg_dump job writes a dump to its claim and verifies it', async () => {
    // WHEN the nightly dump CronJob runs once as a Job
    const outcome = await runJob(dump);
    // THEN it passes, the dump is in the claim app-db-dumps, and the job read it back to its end
    expect(outcome).toMatchObject({ status: 'PASS' });
    const dumps = fs.readdirSync(cluster.claimDir('default', 'app-db-dumps')).filter((f) => /^myapp_production-\d{8}T\d{6}Z\.dump$/.test(f));
    expect(dumps).toHaveLength(1);
    expect(logOf(`${dump}-manual`, 'pg-dump')).toMatch(/verified \/backups\/myapp_production-\d{8}T\d{6}Z\.dump: \d+ archive entries/);
  });

  test('the dump restore test restores the dump, checks it, posts its report to the webhook and pushes metrics to the Pushgateway', async () => {
    // GIVEN the dump of the previous test
    webhook.received.length = 0;
    // WHEN the dump restore test runs once
    const outcome = await runJob(dumpRestoreTest);
    // THEN it passes, its report reached the webhook and its figures the Pushgateway
    expect(outcome).toMatchObject({ status: 'PASS' });
    expect(webhook.posts).toEqual([{ text: expect.stringMatching(/^Restore test of myapp_production passed in \d+s\. restored myapp_production-\d{8}T\d{6}Z\.dump;orders: 1500 rows;latest orders.inserted_at: .*;amcheck: no corruption$/) }]);
    const metrics = await pushgateway.metrics();
    expect(metrics).toMatch(/^pgrel_restore_test_success\{[^}]*job="pgrel_restore_test",source="myapp_production"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^pgrel_restore_test_last_success_timestamp_seconds\{[^}]*source="myapp_production"[^}]*\} \d/m);
  });

  test('the full backup CronJob (run once as a Job) creates the stanza and backs up over the TLS server into S3', async () => {
    // WHEN the full backup runs once
    const outcome = await runJob(full);
    // THEN it passes, and the repository in the bucket holds the stanza and one full backup set
    expect(outcome).toMatchObject({ status: 'PASS' });
    const keys = s3.keys(BUCKET);
    expect(keys).toContain('app-db/backup/app-db/backup.info');
    expect(keys.filter((k) => /^app-db\/backup\/app-db\/\d{8}-\d{6}F\/backup\.manifest$/.test(k))).toHaveLength(1);
  });

  test('the database archives WAL into the bucket through archive_command', async () => {
    // GIVEN the stanza made by the full backup
    const [db] = cluster.podsOf('app-db');
    // WHEN a WAL segment is completed
    const switched = await db.exec('postgres', ['psql', '-h', '/var/run/postgresql', '-U', 'postgres', '-Atc', 'SELECT pg_walfile_name(pg_switch_wal())']);
    expect(switched.status).toBe(0);
    const segment = switched.output.trim();
    // THEN pgBackRest's archive-push puts it into the repository (compressed, under the stanza's archive)
    const archived = await waitFor(() => s3.keys(BUCKET).some((k) => k.startsWith('app-db/archive/app-db/15-1/') && k.includes(`/${segment}-`)), 60_000);
    expect(archived).toBe(true);
  });

  test('the incremental CronJob backs up on top of the full backup', async () => {
    // WHEN the incremental backup runs once
    const outcome = await runJob(incr);
    // THEN it passes and an incremental set (label ...F_...I) is in the bucket
    expect(outcome).toMatchObject({ status: 'PASS' });
    expect(s3.keys(BUCKET).filter((k) => /^app-db\/backup\/app-db\/\d{8}-\d{6}F_\d{8}-\d{6}I\/backup\.manifest$/.test(k))).toHaveLength(1);
  });

  test('the pgBackRest restore test restores the latest backup from S3, checks it, reports and pushes metrics', async () => {
    webhook.received.length = 0;
    // WHEN the restore test runs once
    const outcome = await runJob(restoreTest);
    // THEN it passes, its checks saw the 1500 orders, and the report and metrics were delivered
    expect(outcome).toMatchObject({ status: 'PASS' });
    expect(webhook.posts).toEqual([{ text: expect.stringMatching(/^Restore test of app-db passed in \d+s\. .*orders: 1500 rows;.*amcheck: no corruption/) }]);
    expect(await pushgateway.metrics()).toMatch(/^pgrel_restore_test_success\{[^}]*source="app-db"[^}]*\} 1$/m);
  });

  test('rows deleted from the source and backed up: the next restore test catches it and says so', async () => {
    // GIVEN most orders deleted at the source, and an incremental backup taken after that
    const [db] = cluster.podsOf('app-db');
    const deleted = await db.exec('postgres', ['psql', '-X', '-v', 'ON_ERROR_STOP=1', '-h', '/var/run/postgresql', '-U', 'postgres', '-d', 'myapp_production', '-c',
      'DELETE FROM orders WHERE id > 200']);
    expect(deleted.status).toBe(0);
    expect(await runJob(incr)).toMatchObject({ status: 'PASS' });
    webhook.received.length = 0;
    // WHEN the restore test runs again
    const outcome = await runJob(restoreTest);
    // THEN it fails on the row-count check (1000 wanted, 200 restored), reports that, and pushes success 0
    expect(outcome.status).toBe('FAIL');
    expect(webhook.posts).toEqual([{ text: expect.stringMatching(/^Restore test of app-db FAILED in \d+s\. .*orders has 200 rows, expected at least 1000/) }]);
    expect(await pushgateway.metrics()).toMatch(/^pgrel_restore_test_success\{[^}]*source="app-db"[^}]*\} 0$/m);
  });
});

/** Polls `done` every 500 ms until it is true or `timeoutMs` passes; whether it became true. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return done();
}
