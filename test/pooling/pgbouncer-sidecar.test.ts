import * as kplus from 'cdk8s-plus-28';
import { SEED_SETTINGS, webApp } from './fixtures';
import { PgBouncerSidecar, ContainerImage } from '../../src';
import { CONFIG_HASH_ANNOTATION } from '../../src/core/config-hash';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

describe('PgBouncerSidecar on a cdk8s-plus Deployment', () => {
  test('adds a probed, restricted PgBouncer container with its config and auth file', () => {
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

  test('the connection env points at localhost:6432 and expands the password from the Secret', () => {
    const { chart, web, userlist, password } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    pooler.addConnectionEnv(web.containers[0], { database: 'myapp', user: 'myapp', password });
    const app = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'app');
    // PGPASSWORD must come before DATABASE_URL: the kubelet only expands variables defined earlier.
    expect(app.env).toEqual([
      { name: 'PGHOST', value: 'localhost' },
      { name: 'PGPORT', value: '6432' },
      { name: 'PGDATABASE', value: 'myapp' },
      { name: 'PGUSER', value: 'myapp' },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-app', key: 'password' } } },
      { name: 'DATABASE_URL', value: 'postgresql://myapp:$(PGPASSWORD)@localhost:6432/myapp' },
    ]);
    expect(() => pooler.addConnectionEnv(web.containers[0], { database: 'other', user: 'x', password })).toThrow('[test/Pooler] addConnectionEnv.database: got "other"; not in this pooler\'s [databases]; known: myapp');
  });

  test('a database added after construction is rendered and changes the config hash', () => {
    const { chart, web, userlist } = webApp();
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: SEED_SETTINGS });
    const before = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION];
    pooler.addDatabase({ name: 'reports', host: 'app-db-ro', dbname: 'myapp_production' });
    const manifests = synthValidated(chart);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini']).toContain('reports = host=app-db-ro port=5432 dbname=myapp_production\n');
    expect(manifests.find((m) => m.kind === 'Deployment').spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION]).not.toBe(before);
    expect(() => pooler.addDatabase({ name: 'reports', host: 'x' })).toThrow('[test/Pooler] settings.databases: got "reports"; each database name may appear once');
  });

  test('uses group-readable secret files when the pod has an fsGroup, and a user image and version', () => {
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

  test('bad construct props are refused', () => {
    const { chart, web, userlist } = webApp();
    expect(() => new PgBouncerSidecar(chart, 'A', { workload: web, authFile: userlist, settings: SEED_SETTINGS, port: 0 })).toThrow('[test/A] port: got 0; expected an integer from 1 to 65535');
    expect(() => new PgBouncerSidecar(chart, 'B', { workload: web, authFile: userlist, settings: SEED_SETTINGS, image: ContainerImage.of('registry.example/pgbouncer', 'stable') }))
      .toThrow('[test/B] image: got "registry.example/pgbouncer:stable"; PgBouncerVersion: cannot read a version from image tag "stable" of registry.example/pgbouncer; pass pgbouncerVersion explicitly');
    expect(() => new PgBouncerSidecar(chart, 'C', { workload: web, authFile: userlist, settings: { ...SEED_SETTINGS, queryTimeout: undefined, databases: [{ name: 'x', host: 'db\nevil' }] } }))
      .toThrow('[test/C] settings.databases[0].host: got "db\\nevil"; expected a non-empty, single-line string');
  });
});
