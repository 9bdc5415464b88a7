import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConnectionTarget, PatroniCluster, PatroniClusterProps, PatroniDcs, PatroniVersion, SecretKeyRef, SynchronousMode } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function cluster(chart: Chart, overrides: Partial<PatroniClusterProps> = {}): PatroniCluster {
  const secret = kplus.Secret.fromSecretName(chart, 'Passwords', 'app-db-passwords');
  return new PatroniCluster(chart, 'Db', {
    settings: { scope: 'app-db', synchronousMode: SynchronousMode.ON, ...overrides.settings },
    passwords: {
      superuser: SecretKeyRef.of(secret, 'superuser'),
      replication: SecretKeyRef.of(secret, 'replication'),
      rewind: SecretKeyRef.of(secret, 'rewind'),
      restApi: SecretKeyRef.of(secret, 'rest-api'),
    },
    ...overrides,
    ...(overrides.settings ? { settings: overrides.settings } : {}),
  });
}

function byKind(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

describe('PatroniCluster', () => {
  test('GIVEN the defaults WHEN synthesized THEN every object is schema-valid, the pods are restricted and no password is in the YAML', () => {
    const chart = Testing.chart();
    cluster(chart);
    const manifests = synthValidated(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/app-db-patroni', 'NetworkPolicy/app-db', 'PodDisruptionBudget/app-db', 'Role/app-db', 'RoleBinding/app-db',
      'Service/app-db', 'Service/app-db-members', 'Service/app-db-replicas', 'ServiceAccount/app-db', 'StatefulSet/app-db',
    ]);
    const [sts] = byKind(manifests, 'StatefulSet');
    expectRestricted(sts.spec.template.spec);
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    const text = JSON.stringify(manifests);
    expect(text).not.toMatch(/password":\s*"/i);
    expect(sts.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'PATRONI_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'PATRONI_RESTAPI_CONNECT_ADDRESS', value: '$(POD_IP):8008' },
      { name: 'PATRONI_POSTGRESQL_CONNECT_ADDRESS', value: '$(POD_IP):5432' },
      { name: 'PATRONI_KUBERNETES_POD_IP', value: '$(POD_IP)' },
      { name: 'PATRONI_SUPERUSER_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-passwords', key: 'superuser' } } },
      { name: 'PATRONI_REPLICATION_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-passwords', key: 'replication' } } },
      { name: 'PATRONI_REWIND_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-passwords', key: 'rewind' } } },
      { name: 'PATRONI_RESTAPI_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-passwords', key: 'rest-api' } } },
    ]));
    // POD_IP must come before the variables that expand it.
    const names = sts.spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(names.indexOf('POD_IP')).toBeLessThan(names.indexOf('PATRONI_RESTAPI_CONNECT_ADDRESS'));
  });

  test('GIVEN the Kubernetes DCS with Endpoints WHEN synthesized THEN the Role has exactly the verbs Patroni calls and the primary Service has no selector', () => {
    const chart = Testing.chart();
    cluster(chart);
    const manifests = synthValidated(chart);
    expect(byKind(manifests, 'Role')[0].rules).toEqual([
      { apiGroups: [''], resources: ['endpoints'], verbs: ['create', 'get', 'list', 'patch', 'watch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'patch', 'watch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['create'] },
    ]);
    const primary = manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'app-db');
    expect(primary.spec.selector).toBeUndefined();
    // Patroni writes the leader into Endpoints "app-db" with the port named as in patroni.yml.
    expect(primary.spec.ports).toEqual([{ name: 'postgresql', port: 5432, targetPort: 5432 }]);
    const config = byKind(manifests, 'ConfigMap')[0].data['patroni.yml'];
    expect(config).toContain('  use_endpoints: true\n  ports:\n    - name: "postgresql"\n      port: 5432\n');
    const replicas = manifests.find((m) => m.metadata.name === 'app-db-replicas');
    expect(replicas.spec.selector).toEqual({ 'application': 'patroni', 'cluster-name': 'app-db', 'role': 'replica' });
    expect(byKind(manifests, 'RoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'app-db', apiGroup: '' }]);
  });

  test('GIVEN ConfigMaps as the DCS WHEN synthesized THEN the Role covers configmaps, not endpoints or services, and the primary Service selects the leader label', () => {
    const chart = Testing.chart();
    cluster(chart, { settings: { scope: 'app-db', dcs: PatroniDcs.kubernetes({ useEndpoints: false }) } });
    const manifests = synthValidated(chart);
    expect(byKind(manifests, 'Role')[0].rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list', 'patch', 'watch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'patch', 'watch'] },
    ]);
    const primary = manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'app-db');
    expect(primary.spec.selector).toEqual({ 'application': 'patroni', 'cluster-name': 'app-db', 'role': 'master' });
  });

  test('GIVEN Patroni 4 with ConfigMaps WHEN synthesized THEN the leader label is "primary"', () => {
    const chart = Testing.chart();
    cluster(chart, { settings: { scope: 'app-db', version: PatroniVersion.V4_0, dcs: PatroniDcs.kubernetes({ useEndpoints: false }) } });
    const primary = synthValidated(chart).find((m) => m.kind === 'Service' && m.metadata.name === 'app-db');
    expect(primary.spec.selector.role).toBe('primary');
  });

  test('GIVEN etcd as the DCS WHEN synthesized THEN there is no RBAC, no API token, no Kubernetes variables, and the etcd CA is mounted', () => {
    const chart = Testing.chart();
    const ca = kplus.Secret.fromSecretName(chart, 'EtcdCa', 'etcd-ca');
    cluster(chart, { settings: { scope: 'app-db', dcs: PatroniDcs.etcd3({ hosts: ['etcd-0.etcd:2379'], tls: { ca: SecretKeyRef.of(ca, 'ca.crt') } }) } });
    const manifests = synthValidated(chart);
    expect(byKind(manifests, 'Role')).toEqual([]);
    expect(byKind(manifests, 'ServiceAccount')).toEqual([]);
    const pod = byKind(manifests, 'StatefulSet')[0].spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].env.map((e: any) => e.name).filter((n: string) => n.startsWith('PATRONI_KUBERNETES'))).toEqual([]);
    expect(pod.containers[0].volumeMounts).toEqual(expect.arrayContaining([{ mountPath: '/etc/patroni/etcd-ca', name: expect.any(String), readOnly: true }]));
    expect(byKind(manifests, 'ConfigMap')[0].data['patroni.yml']).toContain('  protocol: "https"\n  cacert: "/etc/patroni/etcd-ca/ca.crt"\n');
    const primary = manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'app-db');
    expect(primary.spec.selector).toEqual({ 'application': 'patroni', 'cluster-name': 'app-db', 'role': 'master' });
  });

  test('GIVEN the defaults WHEN synthesized THEN probes use the REST API, claims hold the data, members spread over nodes and zones, and the config hash is set', () => {
    const chart = Testing.chart();
    cluster(chart, { storageSize: undefined, storageClassName: 'fast-ssd' });
    const [sts] = byKind(synthValidated(chart), 'StatefulSet');
    const container = sts.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readiness', port: 8008, scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/liveness', port: 8008, scheme: 'HTTP' });
    expect(container.command).toEqual(['patroni', '/etc/patroni/patroni.yml']);
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'pgdata' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10240Mi' } }, storageClassName: 'fast-ssd' },
    }]);
    expect(container.volumeMounts).toEqual(expect.arrayContaining([{ name: 'pgdata', mountPath: '/home/postgres/pgdata' }]));
    const affinity = sts.spec.template.spec.affinity.podAntiAffinity;
    expect(affinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(affinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('topology.kubernetes.io/zone');
    expect(sts.spec.template.metadata.annotations['pg-reliability.cdk8s.io/config-hash']).toMatch(/^[0-9a-f]{32}$/);
  });

  test('GIVEN a change of settings WHEN synthesized THEN the config hash changes', () => {
    const hash = (sync: SynchronousMode) => {
      const chart = Testing.chart();
      cluster(chart, { settings: { scope: 'app-db', synchronousMode: sync } });
      return byKind(Testing.synth(chart), 'StatefulSet')[0].spec.template.metadata.annotations['pg-reliability.cdk8s.io/config-hash'];
    };
    expect(hash(SynchronousMode.ON)).not.toBe(hash(SynchronousMode.OFF));
  });

  test('GIVEN maxConnections WHEN synthesized THEN max_connections is cluster-wide and the connection budget has that size', () => {
    const chart = Testing.chart();
    const db = cluster(chart, { maxConnections: 300 });
    expect(db.renderYaml()).toContain('      parameters:\n        max_connections: "300"\n');
    expect(db.connectionBudget.available).toBe(297);
  });

  test('GIVEN an application container WHEN wired to the primary and the replicas THEN the hosts are the two Services and the password a Secret reference', () => {
    const chart = Testing.chart();
    const db = cluster(chart);
    const app = new kplus.Deployment(chart, 'App', { containers: [{ image: 'app:1.0.0' }] });
    const secret = kplus.Secret.fromSecretName(chart, 'AppUser', 'app-user');
    db.addConnectionEnv(app.containers[0], { database: 'app', user: 'app', password: SecretKeyRef.of(secret, 'password') });
    db.addConnectionEnv(app.containers[0], { database: 'app', user: 'app', password: SecretKeyRef.of(secret, 'password'), target: ConnectionTarget.REPLICAS, variablePrefix: 'RO_' });
    const env = byKind(synthValidated(chart), 'Deployment')[0].spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([
      { name: 'PGHOST', value: 'app-db' },
      { name: 'RO_PGHOST', value: 'app-db-replicas' },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'app-user', key: 'password' } } },
      { name: 'DATABASE_URL', value: 'postgresql://app:$(PGPASSWORD)@app-db:5432/app' },
    ]));
  });

  test.each([
    [{ maxConnections: 10 }, 'maxConnections: got 10; expected an integer from 25'],
    [{ settings: { scope: 'app-db', postgresSettings: [{ name: 'max_connections', value: '50' }] } }, 'settings.postgresSettings.max_connections: got "set"; use the maxConnections prop'],
    [{ instances: 0 }, 'instances: got 0; expected an integer from 1 to 99'],
    [{ settings: { scope: 'app-db', ttl: undefined, retryTimeout: { toMilliseconds: () => 20_000 } as never } }, 'settings.ttl: got "30s"; Patroni needs loopWait + 2 × retryTimeout <= ttl'],
  ] as Array<[Partial<PatroniClusterProps>, string]>)('GIVEN bad props %# WHEN constructed THEN the error names the construct path and the prop', (bad, message) => {
    const chart = Testing.chart();
    expect(() => cluster(chart, bad)).toThrow(`[test/Db] ${message}`);
  });

  test('GIVEN the defaults WHEN synthesized THEN the whole output matches the reviewed snapshot', () => {
    const chart = Testing.chart();
    cluster(chart);
    expect(synthValidated(chart)).toMatchSnapshot();
  });
});
