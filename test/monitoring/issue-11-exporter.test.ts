import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ColumnUsage, ExporterDatabases, ExporterQueries, NetworkPeer, PostgresExporter, PostgresExporterProps, SecretKeyRef } from '../../src';
import { renderQueriesYaml } from '../../src/monitoring/queries-yaml';
import { synthValidated } from '../helpers/synth';

function exporter(props: Partial<PostgresExporterProps> = {}, connection: Record<string, unknown> = {}) {
  const chart = Testing.chart();
  const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'exporter-credentials'), 'password');
  const sidecarOf = (props as any).sidecar ? new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'docker.io/library/postgres:15.18-bookworm', portNumber: 5432, securityContext: { user: 999 } }] }) : undefined;
  new PostgresExporter(chart, 'Exporter', { clusterName: 'app-db', sidecarOf, ...props, connection: { user: 'monitor', password, ...connection } as any });
  const manifests = Testing.synth(chart);
  const pod = manifests.find((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet').spec.template.spec;
  const container = pod.containers.find((c: any) => c.name === 'postgres-exporter');
  return { container, env: (name: string) => container.env.find((e: any) => e.name === name)?.value, queries: manifests.find((m) => m.kind === 'ConfigMap').data['queries.yaml'] as string };
}

describe('#11.3 statement text is not exported by default', () => {
  test('#11.3 GIVEN the top-statements query WHEN rendered THEN it selects queryid, never the query text, unless exportQueryText is set', () => {
    // GIVEN / WHEN
    const yaml = renderQueriesYaml([ExporterQueries.topStatements()]);
    // THEN
    expect(yaml).not.toMatch(/- query:/);
    expect(yaml).not.toContain('left(max(s.query)');
    expect(exporter().queries).not.toContain('left(max(s.query)');
    expect(renderQueriesYaml([ExporterQueries.topStatements(5, { exportQueryText: true })])).toContain('left(max(s.query), 80) AS query');
  });
});

describe('#11.4 per-database queries run where the tables are', () => {
  test('#11.4 GIVEN the database choices WHEN an exporter is made THEN it discovers databases; the dead-tuple query runs in each, labelled by datname', () => {
    // GIVEN / WHEN: exporter() makes and synthesizes one; THEN
    expect(exporter().container.args).toContain('--auto-discover-databases');
    expect(exporter({ databases: ExporterDatabases.only(['app', 'billing']) }).container.args).toEqual(expect.arrayContaining(['--auto-discover-databases', '--include-databases=app,billing']));
    expect(exporter({ databases: ExporterDatabases.CONNECTION_ONLY }).container.args).not.toContain('--auto-discover-databases');
    const tuples = ExporterQueries.tableTuples();
    expect(tuples.primaryDatabaseOnly).toBe(false);
    expect(tuples.columns.find((c) => c.name === 'datname')?.usage).toBe(ColumnUsage.LABEL);
    expect(() => ExporterDatabases.only(['a,b'])).toThrow('[ExporterDatabases] only: got "a,b"; a database name of 1 to 63 characters without commas');
    expect(() => exporter({ queries: [{ name: 'per_db', sql: 'SELECT 1 AS n', primaryDatabaseOnly: false, columns: [{ name: 'n', usage: ColumnUsage.GAUGE, description: 'n' }] }] }))
      .toThrow('[test/Exporter] queries[0].columns: got ["n"]; a LABEL column "datname"');
  });
});

describe('#11.5 the DSN is built from validated, escaped parts', () => {
  test('#11.5 GIVEN hosts and sslmodes WHEN an exporter is made THEN URI syntax is refused, IPv6 is bracketed, sslmode is one lib/pq accepts', () => {
    // GIVEN / WHEN: exporter() makes and synthesizes one; THEN
    expect(() => exporter({}, { host: 'db?sslmode=disable#' })).toThrow('[test/Exporter] connection.host: got "db?sslmode=disable#"; a DNS name');
    expect(() => exporter({}, { host: 'user:pw@db' })).toThrow('connection.host');
    expect(() => exporter({}, { host: '[::1]' })).toThrow('connection.host');
    expect(exporter({}, { host: '::1' }).env('DATA_SOURCE_URI')).toBe('[::1]:5432/postgres?sslmode=disable');
    expect(exporter({}, { host: 'fd00::5', database: 'my app/x', sslMode: 'verify-full' }).env('DATA_SOURCE_URI')).toBe('[fd00::5]:5432/my%20app%2Fx?sslmode=verify-full');
    expect(exporter({}, { host: 'app-db-rw.db.svc' }).env('DATA_SOURCE_URI')).toBe('app-db-rw.db.svc:5432/postgres?sslmode=require');
    expect(exporter({}, {}).env('DATA_SOURCE_URI')).toBe('localhost:5432/postgres?sslmode=disable');
    expect(() => exporter({}, { sslMode: 'prefer' })).toThrow("connection.sslMode: got \"prefer\"; one of disable, require, verify-ca, verify-full (postgres_exporter's lib/pq refuses prefer and allow)");
  });
});

describe('#11.7 the exporter container has a liveness probe', () => {
  test.each([['its own Deployment', false], ['a sidecar', true]])('#11.7 GIVEN an exporter as %s WHEN synthesized THEN it has liveness and readiness probes', (_name, sidecar) => {
    // GIVEN / WHEN
    const { container } = exporter({ sidecar } as any);
    // THEN
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/', port: 9187 }, periodSeconds: 30 });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/', port: 9187 } });
  });
});

describe('#11.18 the exporter port is reachable only from the monitoring namespace', () => {
  const policies = (props: Partial<PostgresExporterProps>) => {
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'exporter-credentials'), 'password');
    new PostgresExporter(chart, 'Exporter', { clusterName: 'app-db', ...props, connection: { host: 'app-db-rw', user: 'monitor', password } });
    const manifests = synthValidated(chart);
    return { manifests, policies: manifests.filter((m) => m.kind === 'NetworkPolicy') };
  };

  test('#11.18 GIVEN default props WHEN an exporter is made THEN port 9187 of its pods admits the monitoring namespace only', () => {
    // GIVEN / WHEN
    const { manifests, policies: [policy] } = policies({});
    // THEN
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: manifests.find((m) => m.kind === 'Deployment').spec.selector.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 9187 }], from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
    });
  });

  test('#11.18 GIVEN scrapers or networkPolicy: false WHEN an exporter is made THEN the policy admits those peers, or there is none', () => {
    // GIVEN / WHEN: policies() makes and synthesizes one; THEN
    expect(policies({ scrapers: [NetworkPeer.podsInNamespace('observability', { app: 'prometheus' })] }).policies[0].spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
    ]);
    expect(policies({ networkPolicy: false }).policies).toEqual([]);
  });
});

describe('#11.12 two exporter sidecars in one pod', () => {
  test('#11.12 GIVEN one pod WHEN two exporters are its sidecars THEN each gets its own container, volume, port and PodMonitor; a repeated name or port is refused', () => {
    // GIVEN
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'exporter-credentials'), 'password');
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'docker.io/library/postgres:15.18-bookworm', portNumber: 5432 }] });
    const connection = { user: 'monitor', password };
    // WHEN
    new PostgresExporter(chart, 'Primary', { clusterName: 'app-db', sidecarOf: db, connection });
    new PostgresExporter(chart, 'Billing', { clusterName: 'billing-db', sidecarOf: db, name: 'billing-exporter', port: 9188, connection: { ...connection, database: 'billing' } });
    // THEN
    const manifests = synthValidated(chart);
    const pod = manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec;
    const exporters = pod.containers.slice(1).map((c: any) => [c.name, c.ports[0].name, c.ports[0].containerPort, c.volumeMounts[0].name]);
    // "billing-exporter" is 16 characters, one more than a port name may have: a digest stands in.
    expect(exporters).toEqual([
      ['postgres-exporter', 'metrics', 9187, 'exporter-queries'],
      ['billing-exporter', expect.stringMatching(/^pe-[0-9a-f]{8}$/), 9188, 'billing-exporter-queries'],
    ]);
    expect(manifests.filter((m) => m.kind === 'PodMonitor').map((m) => m.spec.podMetricsEndpoints[0].port)).toEqual(['metrics', pod.containers[2].ports[0].name]);
    expect(() => new PostgresExporter(chart, 'Again', { clusterName: 'x', sidecarOf: db, connection })).toThrow('[test/Again] name: got "postgres-exporter"; the pod already has a container of that name');
    expect(() => new PostgresExporter(chart, 'Port', { clusterName: 'x', sidecarOf: db, name: 'third', connection })).toThrow('[test/Port] port: got 9187; the pod already uses that port');
  });
});
