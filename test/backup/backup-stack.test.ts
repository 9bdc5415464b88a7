import { Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { backupChart } from './fixtures';
import { BackupRepository, FullRetention, NetworkPeer, PgBackRestBackups, PgBackRestServerSidecar, Schedule, SecretKeyRef } from '../../src';
import { WORK_WRAPPER } from '../../src/core/job-scripts';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

// Real secret values exist in the program (in a chart the user keeps elsewhere) ...
const VALUES = {
  s3Key: 'AKIAEXAMPLEKEY12345',
  s3Secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  passphrase: 'correct horse battery staple',
  webhook: 'https://hooks.slack.example/services/T000/B000/XXXXSECRET',
};

function stack() {
  const secretsChart = Testing.chart();
  const secret = (name: string, data: Record<string, string>) => new kplus.Secret(secretsChart, name, { metadata: { name }, stringData: data });
  const s3 = secret('pgbackrest-s3', { 'key': VALUES.s3Key, 'key-secret': VALUES.s3Secret });
  const cipher = secret('pgbackrest-cipher', { passphrase: VALUES.passphrase });
  const hook = secret('backup-webhook', { url: VALUES.webhook });

  const { chart, clientTls, serverTls } = backupChart();
  const settings = {
    stanza: 'app-db',
    repositories: [BackupRepository.s3(
      { bucket: 'acme-backups', endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-west-1', credentials: { accessKeyId: SecretKeyRef.of(s3, 'key'), secretAccessKey: SecretKeyRef.of(s3, 'key-secret') } },
      { retentionFull: FullRetention.count(4), cipherPassphrase: SecretKeyRef.of(cipher, 'passphrase') },
    )],
  };
  const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'Data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'DataClaim', 'pgdata-app-db-0'));
  const db = new kplus.StatefulSet(chart, 'Db', {
    metadata: { name: 'app-db' },
    service: new kplus.Service(chart, 'DbService', { metadata: { name: 'app-db' }, clusterIP: 'None', ports: [{ port: 5432 }] }),
    securityContext: { user: 999, group: 999, fsGroup: 999 },
    containers: [{ name: 'postgres', image: 'docker.io/library/postgres:15.18-bookworm', portNumber: 5432, volumeMounts: [{ path: '/var/lib/postgresql/data', volume: data }] }],
  });
  const server = new PgBackRestServerSidecar(chart, 'BackupServer', {
    workload: db, databaseContainer: db.containers[0], settings, dataDirectory: '/var/lib/postgresql/data/pgdata', dataVolume: data, dataVolumeMountPath: '/var/lib/postgresql/data', tls: serverTls,
  });
  const backups = new PgBackRestBackups(chart, 'Backups', {
    settings,
    server,
    tls: clientTls,
    differential: Schedule.cron({ minute: '0', hour: '14', weekDay: 'WED' }),
    timeZone: 'Europe/Berlin',
    failureWebhook: SecretKeyRef.of(hook, 'url'),
  });
  return { chart, server, backups, secretsChart };
}

describe('a synthesized backup stack', () => {
  test('holds no key, passphrase or webhook URL anywhere in its YAML', () => {
    // GIVEN the stack, whose Secrets hold real values
    const { chart } = stack();
    // WHEN it is synthesized
    const yaml = Yaml.stringify(...synthValidated(chart));
    // THEN no value appears
    for (const value of Object.values(VALUES)) expect(yaml).not.toContain(value);
    expect(yaml).not.toMatch(/repo\d-s3-key=|cipher-pass=|hooks\.slack/);
    // and each secret reaches its container by reference
    expect(yaml).toContain('name: PGBACKREST_REPO1_S3_KEY\n');
    expect(yaml).toContain('name: PGBACKREST_REPO1_CIPHER_PASS\n');
    expect(yaml).toContain('name: WEBHOOK_URL\n');
  });

  test('CronJobs: seed schedules, Forbid, history, deadline, time zone, ServiceAccount without token, notifier', () => {
    // GIVEN
    const { chart } = stack();
    // WHEN
    const manifests = synthValidated(chart);
    // THEN
    const cronJobs = manifests.filter((m) => m.kind === 'CronJob');
    expect(cronJobs.map((c) => c.spec.schedule)).toEqual(['0 4 * * SUN', '0 14 * * WED', '0 4 * * MON-SAT']);
    for (const cronJob of cronJobs) {
      expect(cronJob.spec).toMatchObject({ concurrencyPolicy: 'Forbid', timeZone: 'Europe/Berlin', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
      expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 21600 });
      const pod = cronJob.spec.jobTemplate.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toMatch(/serviceaccount/);
      expect(pod.initContainers[0].command).toEqual(['/bin/sh', '-c', WORK_WRAPPER, 'job']);
      expect(pod.initContainers[0].env).toContainEqual({ name: 'WORK_BUDGET', value: String(21600 - 300) });
      expect(pod.initContainers[0].args[2]).toMatch(/stanza-create && exec pgbackrest --config=\/etc\/pgbackrest\/conf\/pgbackrest.conf --stanza=app-db --type=(full|diff|incr) backup$/);
      expect(pod.containers[0].name).toBe('notify');
      expectRestricted(pod);
    }
    const accounts = manifests.filter((m) => m.kind === 'ServiceAccount');
    expect(accounts).toHaveLength(3);
    for (const account of accounts) expect(account.automountServiceAccountToken).toBe(false);
  });

  test('the job config reaches the database through its TLS server; the sidecar serves it', () => {
    // GIVEN
    const { chart } = stack();
    // WHEN
    const manifests = synthValidated(chart);
    // THEN
    const configs = manifests.filter((m) => m.kind === 'ConfigMap').map((m) => m.data['pgbackrest.conf']);
    const [serverConf, jobConf] = configs;
    expect(serverConf).toContain('tls-server-address=*\ntls-server-port=8432\ntls-server-ca-file=/etc/pgbackrest/tls/ca/ca.crt\n');
    expect(serverConf).toContain('tls-server-auth=pgbackrest-backup=app-db\n');
    expect(jobConf).toContain('[app-db]\npg1-path=/var/lib/postgresql/data/pgdata\npg1-port=5432\npg1-socket-path=/var/run/postgresql\npg1-host=app-db-0.app-db\npg1-host-type=tls\npg1-host-port=8432\n');
    // the host the jobs use resolves: pod 0 of StatefulSet app-db through its Service app-db
    expect(manifests.find((m) => m.kind === 'StatefulSet')).toMatchObject({ metadata: { name: 'app-db' }, spec: { serviceName: 'app-db' } });
    const db = manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec;
    expect(db.containers.map((c: any) => c.name)).toEqual(['postgres', 'pgbackrest-server']);
    // the database container got the config and secrets for archive_command
    expect(db.containers[0].env.map((e: any) => e.name)).toEqual(['PGBACKREST_REPO1_S3_KEY', 'PGBACKREST_REPO1_S3_KEY_SECRET', 'PGBACKREST_REPO1_CIPHER_PASS']);
    expectRestricted(db, ['pgbackrest-server']);
  });

  test('#10.5 the sidecar reaches PostgreSQL through the shared socket by default', () => {
    // GIVEN the stack above: no socketVolume, the database container given as databaseContainer
    const { chart } = stack();
    // WHEN it is synthesized
    const manifests = synthValidated(chart);
    // THEN one emptyDir is mounted at /var/run/postgresql in the database container and the sidecar
    const pod = manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec;
    const socketMount = (name: string) => pod.containers.find((c: any) => c.name === name).volumeMounts.find((m: any) => m.mountPath === '/var/run/postgresql');
    const [dbMount, sidecarMount] = [socketMount('postgres'), socketMount('pgbackrest-server')];
    expect(dbMount).toBeDefined();
    expect(sidecarMount).toEqual(dbMount);
    expect(pod.volumes.find((v: any) => v.name === dbMount.name)).toEqual({ name: dbMount.name, emptyDir: {} });
    // and both configs name that directory as pg1-socket-path (the job's is the one the server uses)
    const [serverConf, jobConf] = manifests.filter((m) => m.kind === 'ConfigMap').map((m) => m.data['pgbackrest.conf']);
    for (const conf of [serverConf, jobConf]) expect(conf).toContain('pg1-socket-path=/var/run/postgresql\n');
  });

  test('#10.5 a sidecar whose database container does not share the socket fails at synth', () => {
    // GIVEN a sidecar given no databaseContainer, and configureDatabaseContainer() never called
    const { chart, serverTls, settings } = backupChart();
    const data = kplus.Volume.fromEmptyDir(chart, 'Data', 'data');
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432 }] });
    new PgBackRestServerSidecar(chart, 'Server', { workload: db, settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls });
    // WHEN it is synthesized, THEN the validation says what to call
    expect(() => synthValidated(chart)).toThrow('[test/Server] socketDirectory: no database container mounts the socket volume at /var/run/postgresql; '
      + 'pgBackRest reaches PostgreSQL only through its unix socket: give databaseContainer (or call configureDatabaseContainer(databaseContainer))');
  });

  test('issue 13: GIVEN a databaseContainer of another workload WHEN synthesized THEN the synth names the prop', () => {
    // GIVEN
    const { chart, serverTls, settings } = backupChart();
    const data = kplus.Volume.fromEmptyDir(chart, 'Data', 'data');
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432 }] });
    const other = new kplus.Deployment(chart, 'Other', { containers: [{ name: 'web', image: 'nginx:1.27', portNumber: 80 }] });
    new PgBackRestServerSidecar(chart, 'Server', {
      workload: db, databaseContainer: other.containers[0], settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls,
    });
    // WHEN / THEN
    expect(() => synthValidated(chart)).toThrow('[test/Server] databaseContainer: container "web" is not a container of workload');
  });

  test('issue 13: GIVEN databaseContainer WHEN constructed THEN the database container is wired without a call', () => {
    // GIVEN
    const { chart, serverTls, settings } = backupChart();
    const data = kplus.Volume.fromEmptyDir(chart, 'Data', 'data');
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432 }] });
    // WHEN
    const server = new PgBackRestServerSidecar(chart, 'Server', {
      workload: db, databaseContainer: db.containers[0], settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls,
    });
    // THEN the socket and pgBackRest's config are mounted in the database container, and the synth passes
    expect(db.containers[0].mounts.map((m) => m.path)).toEqual(expect.arrayContaining([server.socketDirectory, '/etc/pgbackrest/conf']));
    expect(() => synthValidated(chart)).not.toThrow();
  });

  test('#10.5 a socket volume the database already mounts is reused; a different one at that path is refused', () => {
    // GIVEN a database container that mounts its own socket volume, given as socketVolume
    const { chart, serverTls, settings } = backupChart();
    const data = kplus.Volume.fromEmptyDir(chart, 'Data', 'data');
    const socket = kplus.Volume.fromEmptyDir(chart, 'Sock', 'run-postgresql');
    const db = new kplus.StatefulSet(chart, 'Db', {
      containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432, volumeMounts: [{ path: '/run/pg', volume: socket }] }],
    });
    // WHEN the sidecar wires it
    const server = new PgBackRestServerSidecar(chart, 'Server', {
      workload: db, databaseContainer: db.containers[0], settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls, socketVolume: socket, socketDirectory: '/run/pg',
    });
    // THEN the volume is mounted once and named as the socket path
    const pod = synthValidated(chart).find((m) => m.kind === 'StatefulSet').spec.template.spec;
    expect(pod.containers[0].volumeMounts.filter((m: any) => m.mountPath === '/run/pg')).toEqual([{ name: 'run-postgresql', mountPath: '/run/pg' }]);
    expect(server.configMap.data['pgbackrest.conf']).toContain('pg1-socket-path=/run/pg\n');

    // GIVEN a database container with another volume at the socket directory
    const other = backupChart();
    const db2 = new kplus.StatefulSet(other.chart, 'Db', {
      containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432, volumeMounts: [{ path: '/var/run/postgresql', volume: kplus.Volume.fromEmptyDir(other.chart, 'Mine', 'mine') }] }],
    });
    const server2 = new PgBackRestServerSidecar(other.chart, 'Server', {
      workload: db2, settings: other.settings, dataDirectory: '/data/pgdata', dataVolume: kplus.Volume.fromEmptyDir(other.chart, 'Data', 'data'), dataVolumeMountPath: '/data', tls: other.serverTls,
    });
    // WHEN it is wired, THEN the conflict is refused
    expect(() => server2.configureDatabaseContainer(db2.containers[0])).toThrow('[test/Server] socketVolume: got "mine"; the database container already mounts volume "mine" at /var/run/postgresql');
  });

  test('issue 13: GIVEN a StatefulSet WHEN backups get its server THEN pg1-host is its first pod through the Service it creates', () => {
    // GIVEN a StatefulSet whose headless Service cdk8s-plus names
    const { chart, serverTls, clientTls, settings } = backupChart();
    const data = kplus.Volume.fromEmptyDir(chart, 'Data', 'data');
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432 }] });
    const server = new PgBackRestServerSidecar(chart, 'Server', {
      workload: db, databaseContainer: db.containers[0], settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls,
    });
    // WHEN
    new PgBackRestBackups(chart, 'Backups', { settings, server, tls: clientTls });
    // THEN the host is <StatefulSet>-0.<its Service>, as synthesized
    const manifests = synthValidated(chart);
    const sts = manifests.find((m) => m.kind === 'StatefulSet');
    const service = manifests.find((m) => m.kind === 'Service');
    expect(sts.spec.serviceName).toBe(service.metadata.name);
    expect(server.host).toBe(`${sts.metadata.name}-0.${service.metadata.name}`);
    const jobConf = manifests.filter((m) => m.kind === 'ConfigMap').map((m) => m.data['pgbackrest.conf']).find((c) => c.includes('pg1-host='));
    expect(jobConf).toContain(`\npg1-host=${server.host}\n`);
  });

  test('issue 13: GIVEN a server on a Deployment WHEN backups get no databaseHost THEN they ask for one; with one they use it', () => {
    // GIVEN a workload that is not a StatefulSet: its pods have no stable DNS names
    const { chart, serverTls, clientTls, settings } = backupChart();
    const data = kplus.Volume.fromEmptyDir(chart, 'Data', 'data');
    const db = new kplus.Deployment(chart, 'Db', { containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432 }] });
    const server = new PgBackRestServerSidecar(chart, 'Server', {
      workload: db, databaseContainer: db.containers[0], settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls,
    });
    // WHEN / THEN
    expect(server.host).toBeUndefined();
    expect(() => new PgBackRestBackups(chart, 'Backups', { settings, server, tls: clientTls }))
      .toThrow('[test/Backups] databaseHost: got undefined; the server cannot name its pod (its workload is not a StatefulSet)');
    const backups = new PgBackRestBackups(chart, 'Named', { settings, server, tls: clientTls, databaseHost: 'db.example' });
    expect(backups.configMap.data['pgbackrest.conf']).toContain('\npg1-host=db.example\n');
  });

  test('issue 13: GIVEN a server set up elsewhere WHEN described by fromServerAttributes THEN its paths and ports reach the job config', () => {
    // GIVEN
    const { chart, clientTls, settings } = backupChart();
    const server = PgBackRestServerSidecar.fromServerAttributes({ host: 'pg-0.pg.db.svc', dataDirectory: '/pgdata/15', socketDirectory: '/run/pg', postgresPort: 5433, port: 9000 });
    // WHEN
    const backups = new PgBackRestBackups(chart, 'Backups', { settings, server, tls: clientTls });
    // THEN
    expect(backups.configMap.data['pgbackrest.conf']).toContain('[app-db]\npg1-path=/pgdata/15\npg1-port=5433\npg1-socket-path=/run/pg\npg1-host=pg-0.pg.db.svc\npg1-host-type=tls\npg1-host-port=9000\n');
  });

  test('issue 13: GIVEN a volume of another cdk8s-plus major WHEN given to the sidecar or the backups THEN the mismatch is explained', () => {
    // GIVEN an object whose class says it comes from cdk8s-plus-30 (as a fresh `cdk8s init` installs)
    class ForeignVolume {}
    Object.defineProperty(ForeignVolume, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-30.Volume', version: '2.0.0' } });
    const foreign = new ForeignVolume() as unknown as kplus.Volume;
    const { chart, serverTls, clientTls, settings } = backupChart();
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: 5432 }] });
    const server = PgBackRestServerSidecar.fromServerAttributes({ host: 'db-0.db', dataDirectory: '/data/pgdata' });
    // WHEN / THEN
    expect(() => new PgBackRestServerSidecar(chart, 'Server', { workload: db, settings, dataDirectory: '/data/pgdata', dataVolume: foreign, dataVolumeMountPath: '/data', tls: serverTls }))
      .toThrow('[test/Server] dataVolume: got "cdk8s-plus-30.Volume"; cdk8s-pg-reliability is built on cdk8s-plus-28');
    expect(() => new PgBackRestBackups(chart, 'Backups', { settings, server, tls: clientTls, repositoryVolume: foreign }))
      .toThrow('[test/Backups] repositoryVolume: got "cdk8s-plus-30.Volume"; cdk8s-pg-reliability is built on cdk8s-plus-28');
  });

  test('a posix repository without its volume is refused', () => {
    // GIVEN a posix repository and no repositoryVolume
    const { chart, clientTls } = backupChart();
    const settings = { stanza: 'main', repositories: [BackupRepository.posix({ retentionFull: FullRetention.count(2) })] };
    const server = PgBackRestServerSidecar.fromServerAttributes({ host: 'db-0.db', dataDirectory: '/data' });
    // WHEN / THEN
    expect(() => new PgBackRestBackups(chart, 'B', { settings, server, tls: clientTls })).toThrow('[test/B/Full] repositoryVolume: got undefined; a posix repository lives on a volume');
  });
});

describe('#11.18 the pgBackRest TLS server is reachable only from the backup jobs', () => {
  test('a NetworkPolicy on the database pods: port 8432 from pods labelled as pgBackRest clients, PostgreSQL from anyone', () => {
    // GIVEN
    const { chart } = stack();
    // WHEN
    const manifests = synthValidated(chart);
    // THEN
    const policy = manifests.find((m) => m.kind === 'NetworkPolicy');
    const db = manifests.find((m) => m.kind === 'StatefulSet');
    expect(policy.spec.podSelector).toEqual({ matchLabels: db.spec.selector.matchLabels });
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      { ports: [{ protocol: 'TCP', port: 8432 }], from: [{ podSelector: { matchLabels: { 'pg-reliability.cdk8s.io/pgbackrest-client': 'true' } } }] },
      { ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
    // Every backup job carries the label the policy admits; nothing else does.
    const labelled = manifests.filter((m) => JSON.stringify(m.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {}).includes('pgbackrest-client'));
    expect(labelled.map((m) => m.kind)).toEqual(['CronJob', 'CronJob', 'CronJob']);
  });

  test('databaseClients narrows PostgreSQL; networkPolicy: false leaves the pods to your own policies', () => {
    // GIVEN one sidecar with databaseClients and one with networkPolicy: false
    const { chart, settings, serverTls } = backupChart();
    const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'Data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'DataClaim', 'pgdata'));
    const make = (id: string, props: object) => {
      const db = new kplus.StatefulSet(chart, `${id}Db`, { containers: [{ name: 'postgres', image: 'docker.io/library/postgres:15.18-bookworm', portNumber: 5432, volumeMounts: [{ path: '/data', volume: data }] }] });
      new PgBackRestServerSidecar(chart, id, {
        workload: db, databaseContainer: db.containers[0], settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls, ...props,
      });
    };
    make('Narrow', { databaseClients: [NetworkPeer.pods({ app: 'web' }), NetworkPeer.namespaceNamed('monitoring')] });
    make('Off', { networkPolicy: false });
    // WHEN
    const policies = synthValidated(chart).filter((m) => m.kind === 'NetworkPolicy');
    // THEN
    expect(policies).toHaveLength(1);
    expect(policies[0].spec.ingress[1]).toEqual({
      ports: [{ protocol: 'TCP', port: 5432 }],
      from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
    });
  });
});

describe('postgres command-line arguments for WAL archiving', () => {
  test('postgresArgs() renders the archiving settings as -c pairs pointing at the mounted config', () => {
    // GIVEN
    const { server } = stack();
    // WHEN
    const args = server.postgresArgs();
    // THEN
    expect(args.filter((_, i) => i % 2 === 0).every((a) => a === '-c')).toBe(true);
    expect(args).toContain('archive_command=pgbackrest --config=/etc/pgbackrest/conf/pgbackrest.conf --stanza=app-db archive-push %p');
    expect(args).toContain('archive_mode=on');
  });
});
