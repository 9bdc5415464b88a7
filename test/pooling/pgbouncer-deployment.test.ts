import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { NetworkPeer, PgBouncerDeployment, PoolMode, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function setup() {
  const chart = Testing.chart();
  const secret = (name: string, key: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(chart, `${name}-${key}`, name), key);
  return { chart, userlist: secret('pgbouncer-userlist', 'userlist.txt'), statsPassword: secret('pgbouncer-stats', 'password') };
}

const SETTINGS = { poolMode: PoolMode.TRANSACTION, databases: [{ name: 'app', host: 'app-db-rw.db.svc' }], statsUsers: ['monitor'] };

describe('PgBouncerDeployment', () => {
  test('GIVEN an exporter WHEN a PgBouncerDeployment is synthesized THEN a Deployment spread over nodes, Service, PodDisruptionBudget, exporter and PodMonitor', () => {
    const { chart, userlist, statsPassword } = setup();
    new PgBouncerDeployment(chart, 'Pooler', { authFile: userlist, settings: SETTINGS, exporter: { user: 'monitor', password: statsPassword } });
    const manifests = synthValidated(chart);
    const kinds = manifests.map((m) => m.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'PodMonitor', 'Service']);

    const deployment = manifests.find((m) => m.kind === 'Deployment');
    const labels = deployment.spec.selector.matchLabels;
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const pod = deployment.spec.template.spec;
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } } },
    ]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 998, fsGroup: 998 });
    expect(pod.volumes.find((v: any) => v.secret).secret.items[0].mode).toBe(0o440);
    expectRestricted(pod);

    const exporter = pod.containers.find((c: any) => c.name === 'exporter');
    expect(exporter.image).toBe('quay.io/prometheuscommunity/pgbouncer-exporter:v0.7.0');
    expect(exporter.args[0]).toBe('--pgBouncer.connectionString=postgres://monitor:$(PGBOUNCER_STATS_PASSWORD)@localhost:6432/pgbouncer?sslmode=disable');
    expect(exporter.env).toEqual([{ name: 'PGBOUNCER_STATS_PASSWORD', valueFrom: { secretKeyRef: { name: 'pgbouncer-stats', key: 'password' } } }]);

    const service = manifests.find((m) => m.kind === 'Service');
    expect(service.spec).toMatchObject({ type: 'ClusterIP', selector: labels, ports: [{ port: 6432, targetPort: 6432, name: 'pgbouncer' }] });
    expect(manifests.find((m) => m.kind === 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: labels } });
    expect(manifests.find((m) => m.kind === 'PodMonitor').spec).toEqual({ selector: { matchLabels: labels }, podMetricsEndpoints: [{ port: 'metrics', path: '/metrics' }] });
  });

  test('GIVEN requireSeparateNodes or bad props WHEN constructed THEN required anti-affinity, or the prop\'s error', () => {
    const { chart, userlist, statsPassword } = setup();
    new PgBouncerDeployment(chart, 'Strict', { authFile: userlist, settings: SETTINGS, replicas: 3, requireSeparateNodes: true });
    const pod = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(() => new PgBouncerDeployment(chart, 'A', { authFile: userlist, settings: SETTINGS, replicas: 2, maxUnavailable: 3 })).toThrow('[test/A] maxUnavailable: got 3; expected an integer from 1 to 2');
    expect(() => new PgBouncerDeployment(chart, 'B', { authFile: userlist, settings: SETTINGS, exporter: { user: 'nobody', password: statsPassword } }))
      .toThrow('[test/B] exporter.user: got "nobody"; the exporter reads SHOW STATS/POOLS on the admin console: list the user in settings.statsUsers');
  });

  test('#11.18 GIVEN clients and an exporter WHEN synthesized THEN a NetworkPolicy admits the pooler port from the clients and the exporter port from monitoring only', () => {
    const { chart, userlist, statsPassword } = setup();
    new PgBouncerDeployment(chart, 'Pooler', { authFile: userlist, settings: SETTINGS, exporter: { user: 'monitor', password: statsPassword } });
    new PgBouncerDeployment(chart, 'Web', { authFile: userlist, settings: SETTINGS, clients: [NetworkPeer.pods({ app: 'web' })] });
    new PgBouncerDeployment(chart, 'Open', { authFile: userlist, settings: SETTINGS, networkPolicy: false });
    const manifests = synthValidated(chart);
    const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
    expect(policies).toHaveLength(2);
    const selectorOf = (path: string) => manifests.find((m) => m.kind === 'Deployment' && m.metadata.name.includes(path)).spec.selector.matchLabels;
    expect(policies[0].spec).toEqual({
      podSelector: { matchLabels: selectorOf('pooler') },
      policyTypes: ['Ingress'],
      ingress: [
        { ports: [{ protocol: 'TCP', port: 6432 }], from: [{ podSelector: {} }] },
        { ports: [{ protocol: 'TCP', port: 9127 }], from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
      ],
    });
    expect(policies[1].spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 6432 }], from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]);
  });

  test('GIVEN a name WHEN the pooler is synthesized THEN the Service, Deployment, PDB, PodMonitor and ConfigMap are named from it', () => {
    // GIVEN
    const { chart, userlist, statsPassword } = setup();
    // WHEN
    new PgBouncerDeployment(chart, 'Pooler', { name: 'reports-pooler', authFile: userlist, settings: SETTINGS, exporter: { user: 'monitor', password: statsPassword } });
    // THEN
    const names = Object.fromEntries(synthValidated(chart).filter((m) => m.kind !== 'NetworkPolicy').map((m) => [m.kind, m.metadata.name]));
    expect(names).toEqual({
      Service: 'reports-pooler',
      Deployment: 'reports-pooler',
      PodDisruptionBudget: 'reports-pooler',
      PodMonitor: 'reports-pooler',
      ConfigMap: 'reports-pooler-config',
    });
  });

  test('GIVEN a name that is no Service name WHEN constructed THEN it is refused with the rule', () => {
    // GIVEN
    const { chart, userlist } = setup();
    // WHEN / THEN
    expect(() => new PgBouncerDeployment(chart, 'A', { name: 'Reports_Pooler', authFile: userlist, settings: SETTINGS }))
      .toThrow('[test/A] name: got "Reports_Pooler"; expected a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter');
    expect(() => new PgBouncerDeployment(chart, 'B', { name: '1pooler', authFile: userlist, settings: SETTINGS })).toThrow('[test/B] name: got "1pooler"; expected a DNS-1035 label');
    expect(() => new PgBouncerDeployment(chart, 'C', { name: 'p'.repeat(64), authFile: userlist, settings: SETTINGS })).toThrow('[test/C] name: got "' + 'p'.repeat(64) + '"; expected a DNS-1035 label');
  });

  test('#11.7 GIVEN an exporter WHEN synthesized THEN pgbouncer_exporter has a liveness probe', () => {
    const { chart, userlist, statsPassword } = setup();
    new PgBouncerDeployment(chart, 'Pooler', { authFile: userlist, settings: SETTINGS, exporter: { user: 'monitor', password: statsPassword } });
    const exporter = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'exporter');
    expect(exporter.livenessProbe).toMatchObject({ tcpSocket: { port: 9127 }, periodSeconds: 30, failureThreshold: 3, timeoutSeconds: 10 });
  });
});

describe('PgBouncerDeployment whole output', () => {
  test('GIVEN no name and no exporter WHEN synthesized THEN the output matches the reviewed snapshot', () => {
    // GIVEN
    const { chart, userlist } = setup();
    // WHEN
    new PgBouncerDeployment(chart, 'Pooler', { authFile: userlist, settings: SETTINGS });
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('GIVEN a name and an exporter WHEN synthesized THEN the output matches the reviewed snapshot', () => {
    // GIVEN
    const { chart, userlist, statsPassword } = setup();
    // WHEN
    new PgBouncerDeployment(chart, 'Pooler', { name: 'app-pooler', authFile: userlist, settings: SETTINGS, exporter: { user: 'monitor', password: statsPassword } });
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});
