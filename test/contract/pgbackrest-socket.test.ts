import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BackupRepository, FullRetention, PgBackRestBackups, PgBackRestServerSidecar, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';
import { PodLayout, runInMountNamespace, startInMountNamespace, stopNamespacedServices } from './harness/pod-layout';
import { freePort } from './harness/ports';
import { run, runUnchecked, Service, serviceTempDir, stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';
import { makeTestPki, TestPki } from './harness/tls';

jest.setTimeout(300_000);
afterAll(async () => {
  await stopNamespacedServices();
  await stopAllServices();
});

const DATA_MOUNT = '/var/lib/postgresql/data';
const PGDATA = `${DATA_MOUNT}/pgdata`;

/** The backup stack as a user writes it, with only the ports chosen by the test (other tests run beside it). */
function synthesize(pgPort: number, tlsPort: number) {
  const chart = Testing.chart();
  const tls = (secret: string) => ({
    certificate: SecretKeyRef.of(kplus.Secret.fromSecretName(chart, `${secret}-crt`, secret), 'tls.crt'),
    privateKey: SecretKeyRef.of(kplus.Secret.fromSecretName(chart, `${secret}-key`, secret), 'tls.key'),
    ca: SecretKeyRef.of(kplus.Secret.fromSecretName(chart, `${secret}-ca`, secret), 'ca.crt'),
  });
  const settings = { stanza: 'main', repositories: [BackupRepository.posix({ retentionFull: FullRetention.count(2) })] };
  const repo = kplus.Volume.fromPersistentVolumeClaim(chart, 'Repo', kplus.PersistentVolumeClaim.fromClaimName(chart, 'RepoClaim', 'backups'));
  const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'Data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'DataClaim', 'pgdata-db-0'));
  const db = new kplus.StatefulSet(chart, 'Db', {
    containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: pgPort, volumeMounts: [{ path: DATA_MOUNT, volume: data }] }],
  });
  // The database container is wired by the sidecar: the user mounts no socket volume and repeats no path.
  const server = new PgBackRestServerSidecar(chart, 'Server', {
    workload: db,
    databaseContainer: db.containers[0],
    settings,
    dataDirectory: PGDATA,
    dataVolume: data,
    dataVolumeMountPath: DATA_MOUNT,
    postgresPort: pgPort,
    port: tlsPort,
    tls: tls('server-tls'),
    repositoryVolume: repo,
  });
  new PgBackRestBackups(chart, 'Backups', { settings, server, databaseHost: 'localhost', tls: tls('client-tls'), repositoryVolume: repo });
  return { manifests: synthValidated(chart), server };
}

/** ConfigMaps become their files; the TLS Secrets become the test PKI's files under the keys the pod asks for. */
function volumeFiles(manifests: any[], pki: TestPki) {
  const secrets: Record<string, Record<string, string>> = {
    'server-tls': { 'tls.crt': pki.serverCertFile, 'tls.key': pki.serverKeyFile, 'ca.crt': pki.caFile },
    'client-tls': { 'tls.crt': pki.clientCertFile, 'tls.key': pki.clientKeyFile, 'ca.crt': pki.caFile },
  };
  return (volume: any) => {
    if (volume.configMap) {
      const map = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name);
      return Object.fromEntries(Object.entries<string>(map.data).map(([file, content]) => [file, { content }]));
    }
    if (volume.secret) {
      return Object.fromEntries(volume.secret.items.map((item: any) => [item.path, { content: fs.readFileSync(secrets[volume.secret.secretName][item.key], 'utf8') }]));
    }
    return undefined;
  };
}

describe('#10.5 the sidecar reaches PostgreSQL through the shared socket, in the pod\'s own layout', () => {
  let layout: PodLayout;
  let postgres: Service;
  let sidecar: Service;
  let pgPort: number;
  let tlsPort: number;
  let dbPod: any;
  let jobPod: any;
  let sidecarCommand: string[];
  let logs: string;

  beforeAll(async () => {
    [pgPort, tlsPort] = [await freePort(), await freePort()];
    const { manifests, server } = synthesize(pgPort, tlsPort);
    dbPod = manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec;
    jobPod = manifests.find((m) => m.kind === 'CronJob' && /full/.test(m.metadata.name)).spec.jobTemplate.spec.template.spec;
    sidecarCommand = dbPod.containers.find((c: any) => c.name === 'pgbackrest-server').command;
    // The client's common name is the one the sidecar allows by default.
    layout = new PodLayout(volumeFiles(manifests, makeTestPki(serviceTempDir('pki').path, 'pgbackrest-backup')));
    logs = layout.dir('logs');

    // The image's entrypoint would run initdb; here the test does, into the data volume.
    const dataHost = layout.volumeDir('db-0', dbPod, dbPod.containers[0].volumeMounts.find((m: any) => m.mountPath === DATA_MOUNT).name);
    run(program('initdb'), ['-D', path.join(dataHost, 'pgdata'), '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
    // No TCP listener at all: the socket is the only way in. WAL archiving as the sidecar's settings say.
    const settings = server.postgresSettings().flatMap((s) => ['-c', `${s.name}=${s.value}`]);
    postgres = startInMountNamespace('postgres', layout.binds('db-0', dbPod, 'postgres'), program('postgres'), [
      '-D', PGDATA, '-c', `port=${pgPort}`, '-c', 'listen_addresses=', '-c', 'unix_socket_directories=/var/run/postgresql', ...settings,
    ], { logDir: logs });
    const socketHost = layout.volumeDir('db-0', dbPod, dbPod.containers[0].volumeMounts.find((m: any) => m.mountPath === '/var/run/postgresql').name);
    await waitFor('PostgreSQL on the shared socket', () => runUnchecked(program('pg_isready'), ['-h', socketHost, '-p', String(pgPort), '-q']).status === 0, 30_000, postgres);
    sidecar = await startSidecar(layout.binds('db-0', dbPod, 'pgbackrest-server'));
  });

  afterAll(async () => {
    await stopNamespacedServices();
    layout?.remove();
  });

  async function startSidecar(binds: ReturnType<PodLayout['binds']>): Promise<Service> {
    // The container's own command, as synthesized.
    const service = startInMountNamespace('pgbackrest-server', binds, program(sidecarCommand[0]), sidecarCommand.slice(1), { logDir: logs });
    await waitFor('the pgBackRest TLS server', () => portOpen(tlsPort), 15_000, service);
    return service;
  }

  /** pgbackrest in the backup Job's container layout, reaching the database only through the TLS server. */
  function job(args: string[]) {
    const result = runInMountNamespace(layout.binds('backup-job', jobPod, 'backup'), program('pgbackrest'),
      ['--config=/etc/pgbackrest/conf/pgbackrest.conf', '--stanza=main', ...args], { scratch: layout.root });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  test('#10.5 the sidecar reaches PostgreSQL through the shared socket by default', () => {
    expect(job(['stanza-create'])).toMatchObject({ status: 0 });
    const backup = job(['backup', '--type=full']);
    expect(backup).toMatchObject({ status: 0 });
    const info = JSON.parse(job(['info', '--output=json']).output)[0];
    expect(info.backup.map((b: any) => b.type)).toEqual(['full']);
    // WAL reached the repository from the database container through archive_command too.
    expect(info.archive[0].min).toMatch(/^[0-9A-F]{24}$/);
  });

  test('#10.5 the pre-fix layout, a sidecar without the database\'s socket directory, cannot back up', async () => {
    // GIVEN the sidecar restarted with its own empty /var/run/postgresql (no shared volume), as before the fix
    await sidecar.stop();
    const own = layout.dir('sidecar-own-run-postgresql');
    sidecar = await startSidecar(layout.binds('db-0', dbPod, 'pgbackrest-server').map((b) => (b.at === '/var/run/postgresql' ? { ...b, host: own } : b)));
    // WHEN a backup runs, THEN pgBackRest cannot connect to PostgreSQL
    const backup = job(['backup', '--type=full']);
    console.log(`#10.5 pre-fix layout: backup exited ${backup.status}:\n${backup.output.split('\n').filter((l) => /ERROR|connect/.test(l)).join('\n')}`);
    expect(backup.status).toBe(56);
    expect(backup.output).toContain('unable to find primary cluster');
    expect(backup.output).toMatch(/unable to connect to .*host='\/var\/run\/postgresql'/);
  });
});

function portOpen(port: number): boolean {
  return runUnchecked('/bin/bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { timeoutMs: 2_000 }).status === 0;
}
