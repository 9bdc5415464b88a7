import { Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SEED_SETTINGS, webApp } from './fixtures';
import { ContainerImage, PgBouncerDeployment, PgBouncerSidecar, SecretKeyRef } from '../../src';
import { CONFIG_HASH_ANNOTATION } from '../../src/core/config-hash';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

describe('PgBouncerSidecar on a cdk8s-plus Deployment', () => {
  test('GIVEN the seed\'s web Deployment WHEN a sidecar is attached THEN it adds a probed, restricted PgBouncer container with its config and auth file', () => {
    // GIVEN the seed's web Deployment
    const { chart, web, userlist, password } = webApp();
    // WHEN a sidecar is attached and the app is wired to it
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password });
    // THEN
    const manifests = synthValidated(chart);
    const configMap = manifests.find((m) => m.kind === 'ConfigMap');
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    const sidecar = pod.containers.find((c: any) => c.name === 'pgbouncer');

    expect(configMap.data['pgbouncer.ini']).toBe(pooler.renderIni());
    expect(configMap.data['pgbouncer.ini']).toContain('myapp = host=postgresql-primary port=5432 dbname=myapp_production\n');
    expect(sidecar).toMatchObject({
      image: 'ghcr.io/cloudnative-pg/pgbouncer:1.18.0',
      command: ['pgbouncer', '/etc/pgbouncer/config/pgbouncer.ini'],
      ports: [{ containerPort: 6432, name: 'pgbouncer' }],
      readinessProbe: { tcpSocket: { port: 6432 }, periodSeconds: 5 },
      livenessProbe: { tcpSocket: { port: 6432 }, initialDelaySeconds: 10 },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5; kill -INT 1; while kill -0 1 2>/dev/null; do sleep 1; done'] } } },
    });
    expect(sidecar.volumeMounts).toEqual([
      { name: 'pgbouncer-config', mountPath: '/etc/pgbouncer/config', readOnly: true },
      { name: 'secret-pgbouncer-userlist-userlist-txt', mountPath: '/etc/pgbouncer/auth', readOnly: true },
    ]);
    // No fsGroup on the app's pod: the userlist must be readable by PgBouncer's own user.
    expect(pod.volumes).toContainEqual({ name: 'secret-pgbouncer-userlist-userlist-txt', secret: { secretName: 'pgbouncer-userlist', items: [{ key: 'userlist.txt', path: 'userlist.txt', mode: 0o444 }] } });
    expect(deployment.spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{32}$/);
    expectRestricted(pod, ['pgbouncer']);
  });

  test('GIVEN a sidecar WHEN a database is added after construction THEN it is rendered and changes the config hash', () => {
    const { chart, web, userlist } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    const before = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION];
    pooler.addDatabase({ name: 'reports', host: 'app-db-ro', dbname: 'myapp_production' });
    const manifests = synthValidated(chart);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini']).toContain('reports = host=app-db-ro port=5432 dbname=myapp_production\n');
    expect(manifests.find((m) => m.kind === 'Deployment').spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION]).not.toBe(before);
    expect(() => pooler.addDatabase({ name: 'reports', host: 'x' })).toThrow('[test/Pooler] settings.databases: got "reports"; each database name may appear once');
  });

  test('GIVEN a pod with an fsGroup and a newer image WHEN a sidecar is attached THEN secret files are group-readable and the image\'s settings are accepted', () => {
    const { chart, userlist } = webApp();
    const web = new kplus.StatefulSet(chart, 'Worker', {
      securityContext: { fsGroup: 2000, user: 1000 },
      containers: [{ image: 'registry.example/worker:2.0.0', portNumber: 8080 }],
    });
    new PgBouncerSidecar(chart, 'Pooler', {
      workload: web,
      authFile: userlist,
      image: ContainerImage.of('ghcr.io/cloudnative-pg/pgbouncer', '1.23.1'),
      settings: { ...SEED_SETTINGS, maxPreparedStatements: 200 },
    });
    const manifests = synthValidated(chart);
    const pod = manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec;
    expect(pod.volumes.find((v: any) => v.secret).secret.items[0].mode).toBe(0o440);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini']).toContain('max_prepared_statements = 200\n');
  });

  test('GIVEN a sidecar WHEN a container of another workload, or PgBouncer itself, is wired THEN refused (localhost would lead nowhere)', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const worker = new kplus.Deployment(chart, 'Worker', { containers: [{ name: 'worker', image: 'registry.example/worker:1.0.0', securityContext: { user: 1000 } }] });
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    // WHEN / THEN
    expect(() => pooler.addConnectionEnv(worker.containers[0], { database: 'myapp', user: 'myapp', password })).toThrow(
      '[test/Pooler] addConnectionEnv.container: got "worker"; a container of the workload this sidecar runs in, other than PgBouncer itself: the connection is localhost');
    expect(() => pooler.addConnectionEnv(pooler.container, { database: 'myapp', user: 'myapp', password })).toThrow('addConnectionEnv.container: got "pgbouncer"');
  });

  test('GIVEN bad construct props WHEN constructed THEN each is refused', () => {
    const { chart, web, userlist } = webApp();
    expect(() => new PgBouncerSidecar(chart, 'A', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 0 })).toThrow('[test/A] port: got 0; expected an integer from 1 to 65535');
    expect(() => new PgBouncerSidecar(chart, 'B', { workload: web, authFile: userlist, settings: SEED_SETTINGS, image: ContainerImage.of('registry.example/pgbouncer', 'stable') }))
      .toThrow('[test/B] image: got "registry.example/pgbouncer:stable"; PgBouncerVersion: cannot read a version from image tag "stable" of registry.example/pgbouncer; pass pgbouncerVersion explicitly');
    expect(() => new PgBouncerSidecar(chart, 'C', { workload: web, authFile: userlist, settings: { ...SEED_SETTINGS, queryTimeout: undefined, databases: [{ name: 'x', host: 'db\nevil' }] } }))
      .toThrow('[test/C] settings.databases[0].host: got "db\\nevil"; expected a non-empty, single-line string');
  });
});

describe('#11.12 several PgBouncers in one pod', () => {
  test('#11.12 GIVEN one pod WHEN three PgBouncerSidecars are attached THEN they get unique container, volume and port names', () => {
    const { chart, web, userlist } = webApp();
    new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    new PgBouncerSidecar(chart, 'Reports', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 6433 });
    new PgBouncerSidecar(chart, 'Audit', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 6434, name: 'audit' });
    // synthValidated refuses duplicate volume, container, port and mount names
    const pod = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
    const byName = (n: string) => pod.containers.find((c: any) => c.name === n);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['app', 'pgbouncer', 'pgbouncer-reports', 'audit']);
    // The first keeps the single-sidecar names; a long name gets a hashed IANA port name (<= 15 characters).
    expect(byName('pgbouncer').ports).toEqual([{ containerPort: 6432, name: 'pgbouncer' }]);
    expect(byName('pgbouncer-reports').ports).toEqual([{ containerPort: 6433, name: expect.stringMatching(/^pgb-[0-9a-f]{8}$/) }]);
    expect(byName('audit').ports).toEqual([{ containerPort: 6434, name: 'audit' }]);
    expect(byName('pgbouncer-reports').volumeMounts[0]).toEqual({ name: 'pgbouncer-reports-config', mountPath: '/etc/pgbouncer/config', readOnly: true });
    expect(byName('audit').volumeMounts[0]).toEqual({ name: 'audit-config', mountPath: '/etc/pgbouncer/config', readOnly: true });
    // One Secret key, one volume, mounted by all three.
    expect(pod.volumes.map((v: any) => v.name).sort()).toEqual(['audit-config', 'pgbouncer-config', 'pgbouncer-reports-config', 'secret-pgbouncer-userlist-userlist-txt']);
  });

  test('#11.12 GIVEN a pod with a PgBouncer WHEN another would collide in name or port THEN it is refused at construction', () => {
    const { chart, web, userlist } = webApp();
    new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    expect(() => new PgBouncerSidecar(chart, 'Same', { workload: web, authFile: userlist, settings: SEED_SETTINGS }))
      .toThrow('[test/Same] port: got 6432; container "pgbouncer" of this pod already uses port 6432: give this PgBouncer another port');
    expect(() => new PgBouncerSidecar(chart, 'App', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 4000 }))
      .toThrow('[test/App] port: got 4000; container "app" of this pod already uses port 4000');
    expect(() => new PgBouncerSidecar(chart, 'Dup', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 6433, name: 'pgbouncer' }))
      .toThrow('[test/Dup] name: got "pgbouncer"; another container of this pod has this name: give each PgBouncer its own');
    expect(() => new PgBouncerSidecar(chart, 'Bad', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 6433, name: 'Reports_DB' }))
      .toThrow('[test/Bad] name: got "Reports_DB"; expected a DNS-1123 label');
    expect(() => new PgBouncerSidecar(chart, 'Long', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 6433, name: 'p'.repeat(57) }))
      .toThrow('[test/Long] name: got "' + 'p'.repeat(57) + '"; at most 56 characters: the config volume is named "<name>-config"');
  });
});

describe('#11.11 PgBouncer as a native sidecar', () => {
  const jobSpec = (m: any) => (m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template.spec : m.spec.template.spec);

  test('#11.11 GIVEN a Job WHEN a sidecar is attached THEN PgBouncer is an init container with restartPolicy Always, probed before the app starts', () => {
    // GIVEN a Job with an init step that must run before PgBouncer, and a main container that exits
    const { chart, userlist, password } = webApp();
    const job = new kplus.Job(chart, 'Batch', {
      initContainers: [{ name: 'prepare', image: 'registry.example/prepare:1.0.0', securityContext: { user: 1000 } }],
      containers: [{ name: 'batch', image: 'registry.example/batch:1.0.0', securityContext: { user: 1000 } }],
    });
    // WHEN the sidecar is added, and another init step after it
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: job, authFile: userlist, settings: SEED_SETTINGS });
    job.addInitContainer({ name: 'migrate', image: 'registry.example/migrate:1.0.0', securityContext: { user: 1000 } });
    pooler.addConnectionEnv(job.containers[0], { database: 'myapp', user: 'myapp', password });
    // THEN
    const manifests = synthValidated(chart);
    const pod = jobSpec(manifests.find((m) => m.kind === 'Job'));
    expect(pod.containers.map((c: any) => c.name)).toEqual(['batch']);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['prepare', 'pgbouncer', 'migrate']);
    const sidecar = pod.initContainers[1];
    expect(sidecar).toMatchObject({
      restartPolicy: 'Always',
      command: ['pgbouncer', '/etc/pgbouncer/config/pgbouncer.ini'],
      ports: [{ containerPort: 6432, name: 'pgbouncer' }],
      startupProbe: { tcpSocket: { port: 6432 }, periodSeconds: 1, failureThreshold: 30 },
      readinessProbe: { tcpSocket: { port: 6432 } },
      livenessProbe: { tcpSocket: { port: 6432 } },
      // Stopped after the main container has exited: no drain delay, SIGINT, wait for the exit.
      lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'kill -INT 1; while kill -0 1 2>/dev/null; do sleep 1; done'] } } },
    });
    expect(sidecar.volumeMounts).toEqual([
      { name: 'pgbouncer-config', mountPath: '/etc/pgbouncer/config', readOnly: true },
      { name: 'secret-pgbouncer-userlist-userlist-txt', mountPath: '/etc/pgbouncer/auth', readOnly: true },
    ]);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini']).toBe(pooler.renderIni());
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].env).toContainEqual({ name: 'PGPORT', value: '6432' });
    expectRestricted(pod, ['pgbouncer']);
  });

  test('#11.11 GIVEN a CronJob and a drainDelay WHEN a sidecar is attached THEN it is native and keeps the delay', () => {
    const { chart, userlist } = webApp();
    const cron = new kplus.CronJob(chart, 'Nightly', {
      schedule: Cron.daily(),
      containers: [{ name: 'report', image: 'registry.example/report:1.0.0', securityContext: { user: 1000 } }],
    });
    new PgBouncerSidecar(chart, 'Pooler', { workload: cron, authFile: userlist, settings: SEED_SETTINGS, drainDelay: Duration.seconds(2) });
    const pod = jobSpec(synthValidated(chart).find((m) => m.kind === 'CronJob'));
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['pgbouncer', 'Always']]);
    expect(pod.initContainers[0].lifecycle.preStop.exec.command[2]).toBe('sleep 2; kill -INT 1; while kill -0 1 2>/dev/null; do sleep 1; done');
  });

  test('#11.11 GIVEN nativeSidecar false on a Job (true on a Deployment) WHEN attached THEN the Job refuses it and the Deployment gets a native sidecar', () => {
    const { chart, web, userlist } = webApp();
    const job = new kplus.Job(chart, 'Batch', { containers: [{ image: 'registry.example/batch:1.0.0', securityContext: { user: 1000 } }] });
    expect(() => new PgBouncerSidecar(chart, 'Pooler', { workload: job, authFile: userlist, settings: SEED_SETTINGS, nativeSidecar: false }))
      .toThrow('[test/Pooler] nativeSidecar: got false; a Job completes only when all its containers have exited and PgBouncer never exits by itself');
    new PgBouncerSidecar(chart, 'WebPooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS, nativeSidecar: true });
    const pod = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['pgbouncer', 'Always']]);
  });
});

describe('cdk8s-plus objects of another major', () => {
  /** Looks like a cdk8s-plus-30 object to the library: jsii records each class's fqn under this symbol. */
  function foreign<T>(fqn: string): T {
    class Foreign {}
    Object.defineProperty(Foreign, Symbol.for('jsii.rtti'), { value: { fqn } });
    return new Foreign() as unknown as T;
  }

  test('GIVEN a cdk8s-plus-30 Deployment WHEN it gets a sidecar THEN the error says to use cdk8s-plus-28', () => {
    // GIVEN
    const { chart, userlist } = webApp();
    const workload = foreign<kplus.Workload>('cdk8s-plus-30.Deployment');
    // WHEN / THEN
    expect(() => new PgBouncerSidecar(chart, 'Pooler', { workload, authFile: userlist, settings: SEED_SETTINGS }))
      .toThrow('[test/Pooler] workload: got "cdk8s-plus-30.Deployment"; cdk8s-pg-reliability is built on cdk8s-plus-28: create this object with cdk8s-plus-28');
  });

  test('GIVEN a cdk8s-plus-30 container or Secret WHEN wired to a PgBouncer THEN the error names the prop', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    const secret = foreign<kplus.ISecret>('cdk8s-plus-30.Secret');
    // WHEN / THEN
    expect(() => pooler.addConnectionEnv(foreign<kplus.Container>('cdk8s-plus-30.Container'), { database: 'myapp', user: 'myapp', password }))
      .toThrow('[test/Pooler] addConnectionEnv.container: got "cdk8s-plus-30.Container"; cdk8s-pg-reliability is built on cdk8s-plus-28');
    // A Secret of another major is refused where it enters the library: SecretKeyRef.of, before any construct sees it.
    expect(() => SecretKeyRef.of(secret, 'password'))
      .toThrow('secret: got "cdk8s-plus-30.Secret"; cdk8s-pg-reliability is built on cdk8s-plus-28');
    expect(() => new PgBouncerDeployment(chart, 'Shared', { authFile: SecretKeyRef.of(secret, 'userlist.txt'), settings: SEED_SETTINGS }))
      .toThrow('secret: got "cdk8s-plus-30.Secret"; cdk8s-pg-reliability is built on cdk8s-plus-28');
  });
});

describe('PgBouncerSidecar whole output', () => {
  test('GIVEN the seed web Deployment WHEN a sidecar is attached and the app wired THEN the output matches the reviewed snapshot', () => {
    // GIVEN
    const { chart, web, userlist, password } = webApp();
    // WHEN
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password });
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('GIVEN a batch Job WHEN a sidecar is attached and the job wired THEN the output matches the reviewed snapshot', () => {
    // GIVEN
    const chart = Testing.chart();
    const userlist = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Userlist', 'pgbouncer-userlist'), 'userlist.txt');
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'AppDb', 'app-db-app'), 'password');
    const job = new kplus.Job(chart, 'Batch', { containers: [{ name: 'batch', image: 'registry.example/batch:1.0.0', securityContext: { user: 1000 } }] });
    // WHEN
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: job, authFile: userlist, settings: SEED_SETTINGS });
    pooler.addConnectionEnv(job.containers[0], { database: 'myapp', user: 'myapp', password });
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});
