import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ruleGroupsOf } from './rule-file';
import { AlertFamily, ColumnUsage, ExporterQueries, MetricSource, PgStatStatements, PostgresAlerts, PostgresExporter, SecretKeyRef, Severity } from '../../src';
import { renderQueriesYaml } from '../../src/monitoring/queries-yaml';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

describe('queries.yaml', () => {
  test('GIVEN the seed query WHEN rendered THEN it is in postgres_exporter\'s queries.yaml format', () => {
    // WHEN
    const yaml = renderQueriesYaml([ExporterQueries.databaseSize()]);
    // THEN
    expect(yaml).toBe([
      'pg_database_size:',
      '  query: |',
      '    SELECT datname, pg_database_size(datname) AS size_bytes FROM pg_database WHERE NOT datistemplate',
      '  master: true',
      '  metrics:',
      '    - datname:',
      '        usage: LABEL',
      '        description: Database name',
      '    - size_bytes:',
      '        usage: GAUGE',
      '        description: Database size in bytes',
      '',
    ].join('\n'));
  });

  test('GIVEN no options WHEN pg_stat_statements settings are made THEN every statement is tracked, 10000 of them', () => {
    // WHEN
    const settings = PgStatStatements.postgresSettings();
    // THEN
    expect(settings).toEqual([
      { name: 'shared_preload_libraries', value: 'pg_stat_statements' },
      { name: 'pg_stat_statements.track', value: 'all' },
      { name: 'pg_stat_statements.max', value: '10000' },
    ]);
  });

  test('GIVEN an options struct WHEN pg_stat_statements settings are made THEN max and track follow it; a bad max is refused', () => {
    // WHEN
    const settings = PgStatStatements.postgresSettings({ max: 500, trackAll: false });
    // THEN
    expect(settings).toEqual([
      { name: 'shared_preload_libraries', value: 'pg_stat_statements' },
      { name: 'pg_stat_statements.track', value: 'top' },
      { name: 'pg_stat_statements.max', value: '500' },
    ]);
    expect(() => PgStatStatements.postgresSettings({ max: 10 })).toThrow('[PgStatStatements] max: got 10; an integer of at least 100');
  });
});

describe('PostgresExporter', () => {
  function setup() {
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'exporter-credentials'), 'password');
    return { chart, connection: { host: 'app-db-rw.db.svc', database: 'app', user: 'postgres_exporter', password, sslMode: 'require' } };
  }

  test('GIVEN no workload WHEN an exporter is made THEN Deployment, Service and ServiceMonitor label series with the cluster; credentials by reference', () => {
    // GIVEN
    const { chart, connection } = setup();
    // WHEN
    new PostgresExporter(chart, 'Exporter', { connection, clusterName: 'app-db' });
    // THEN
    const manifests = synthValidated(chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'Service', 'ServiceMonitor']);
    const pod = manifests.find((m) => m.kind === 'Deployment').spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe('quay.io/prometheuscommunity/postgres-exporter:v0.11.1');
    expect(container.env).toEqual([
      { name: 'DATA_SOURCE_URI', value: 'app-db-rw.db.svc:5432/app?sslmode=require' },
      { name: 'DATA_SOURCE_USER', value: 'postgres_exporter' },
      { name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: { name: 'exporter-credentials', key: 'password' } } },
    ]);
    expectRestricted(pod);
    const monitor = manifests.find((m) => m.kind === 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', interval: '30s', relabelings: [{ action: 'replace', targetLabel: 'cluster', replacement: 'app-db' }] }]);
    const service = manifests.find((m) => m.kind === 'Service');
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels[k]).toBe(v);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['queries.yaml']).toContain('pg_connection_count:');
  });

  test('GIVEN a database StatefulSet WHEN an exporter is its sidecar THEN a PodMonitor scrapes it, queries can be added, bad ones are refused', () => {
    // GIVEN
    const { chart, connection } = setup();
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'docker.io/library/postgres:15.18-bookworm', portNumber: 5432, securityContext: { user: 999 } }] });
    // WHEN
    const exporter = new PostgresExporter(chart, 'Exporter', { connection: { ...connection, host: undefined }, clusterName: 'app-db', sidecarOf: db });
    exporter.addQuery({ name: 'app_orders_pending', sql: "SELECT count(*) AS n FROM orders WHERE state = 'pending'", columns: [{ name: 'n', usage: ColumnUsage.GAUGE, description: 'Pending orders' }] });
    // THEN
    const manifests = synthValidated(chart);
    expect(manifests.find((m) => m.kind === 'PodMonitor').spec).toEqual({
      selector: { matchLabels: db.matchLabels },
      podMetricsEndpoints: [{ port: 'metrics', interval: '30s', relabelings: [{ action: 'replace', targetLabel: 'cluster', replacement: 'app-db' }] }],
    });
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'PodMonitor', 'Service', 'StatefulSet']);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['queries.yaml']).toContain('app_orders_pending:');
    expect(() => exporter.addQuery({ name: 'app_orders_pending', sql: 'SELECT 1 AS n', columns: [{ name: 'n', usage: ColumnUsage.GAUGE, description: 'x' }] }))
      .toThrow('[test/Exporter] queries[15].name: got "app_orders_pending"; each query name may appear once');
    expect(() => exporter.addQuery({ name: 'empty', sql: '  ', columns: [{ name: 'n', usage: ColumnUsage.GAUGE, description: 'x' }] }))
      .toThrow('[test/Exporter] queries[15].sql: got "  "; an SQL query that returns the listed columns');
    expect(() => exporter.addQuery({ name: 'labels_only', sql: 'SELECT 1 AS a', columns: [{ name: 'a', usage: ColumnUsage.LABEL, description: 'x' }] }))
      .toThrow('at least one GAUGE or COUNTER column');
  });

  test('GIVEN a name WHEN the exporter runs as its own Deployment THEN the Service, the Deployment and its NetworkPolicy are named after it', () => {
    // GIVEN
    const { chart, connection } = setup();
    // WHEN
    new PostgresExporter(chart, 'Exporter', { connection, clusterName: 'app-db', name: 'app-db-metrics' });
    // THEN
    const manifests = synthValidated(chart);
    expect(manifests.find((m) => m.kind === 'Service').metadata.name).toBe('app-db-metrics');
    expect(manifests.find((m) => m.kind === 'Deployment').metadata.name).toBe('app-db-metrics');
    expect(manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0].name).toBe('app-db-metrics');
    expect(manifests.find((m) => m.kind === 'NetworkPolicy').metadata.name).toBe('app-db-metrics');
  });

  test('GIVEN a name that is no Service name WHEN the exporter runs as its own Deployment THEN it is refused', () => {
    // GIVEN
    const { chart, connection } = setup();
    // WHEN / THEN
    expect(() => new PostgresExporter(chart, 'Exporter', { connection, clusterName: 'app-db', name: '1-metrics' }))
      .toThrow('[test/Exporter] name: got "1-metrics"; expected a DNS-1035 label');
  });

  test('GIVEN a StatefulSet of another cdk8s-plus major WHEN the exporter is its sidecar THEN the error says to use cdk8s-plus-28', () => {
    // GIVEN
    const { chart, connection } = setup();
    class Foreign {}
    Object.defineProperty(Foreign, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-30.StatefulSet' } });
    // WHEN / THEN
    expect(() => new PostgresExporter(chart, 'Exporter', { connection, clusterName: 'app-db', sidecarOf: new Foreign() as unknown as kplus.Workload }))
      .toThrow('[test/Exporter] sidecarOf: got "cdk8s-plus-30.StatefulSet"; cdk8s-pg-reliability is built on cdk8s-plus-28');
  });
});

describe('PostgresAlerts', () => {
  test('GIVEN no families WHEN the catalog is made THEN one schema-valid PrometheusRule has a group per family and a runbook per alert', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const alerts = new PostgresAlerts(chart, 'Alerts', { labels: { team: 'dba' } });
    // THEN
    const [rule] = synthValidated(chart);
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata.labels).toEqual({ team: 'dba' });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual([
      'postgresql.availability', 'postgresql.replication', 'postgresql.connections', 'postgresql.queries',
      'postgresql.backups', 'postgresql.restore-tests', 'postgresql.maintenance', 'postgresql.pooling',
    ]);
    expect(rule.spec).toEqual({ groups: ruleGroupsOf(alerts) });
    for (const group of rule.spec.groups) {
      for (const r of group.rules) {
        expect(r.labels.team).toBe('dba');
        expect(r.annotations.runbook_url).toMatch(new RegExp(`/runbooks/${r.alert}\\.md$`));
      }
    }
  });

  test('GIVEN a custom alert with a pending period WHEN rendered THEN the rule waits that long (Prometheus `for`)', () => {
    // GIVEN
    const alerts = new PostgresAlerts(Testing.chart(), 'Alerts', { families: [] });
    // WHEN
    alerts.addAlert({ name: 'Mine', expr: 'up == 0', pendingFor: Duration.minutes(90), severity: Severity.INFO, summary: 's', description: 'd' });
    // THEN
    const [rule] = ruleGroupsOf(alerts).flatMap((g: any) => g.rules);
    expect(rule.for).toBe('90m');
    expect(() => alerts.addAlert({ name: 'Neg', expr: 'up == 0', pendingFor: Duration.seconds(NaN), severity: Severity.INFO, summary: 's', description: 'd' }))
      .toThrow('Neg.pendingFor');
  });

  test('GIVEN typed thresholds WHEN the families are rendered THEN the thresholds reach the expressions', () => {
    // GIVEN
    const chart = Testing.chart();
    const alerts = new PostgresAlerts(chart, 'Alerts', {
      families: [
        AlertFamily.replication({ maxLag: Duration.minutes(2) }),
        AlertFamily.connections({ warningRatio: 0.7, criticalRatio: 0.9 }),
        AlertFamily.storage({ sizeLimit: Size.gibibytes(100), horizon: Duration.days(3) }),
        AlertFamily.availability({ source: MetricSource.CNPG, clusterLabel: 'cnpg_cluster' }),
      ],
    });
    // WHEN
    const rules = ruleGroupsOf(alerts).flatMap((g: any) => g.rules);
    // THEN
    const expr = (name: string) => rules.find((r: any) => r.alert === name).expr;
    expect(expr('PostgresReplicationLagHigh')).toBe('pg_replica_lag_seconds > 120');
    expect(expr('PostgresConnectionsHigh')).toMatch(/ > 0.7$/);
    expect(expr('PostgresDatabaseGrowthToLimit')).toBe('predict_linear(pg_database_size_size_bytes[6h], 259200) > 107374182400');
    expect(expr('PostgresSplitBrain')).toBe('count by (cnpg_cluster) (cnpg_pg_replication_in_recovery == 0) > 1');
  });

  test('GIVEN thresholds out of range WHEN families are made THEN each is refused naming the option', () => {
    // WHEN / THEN
    expect(() => AlertFamily.connections({ warningRatio: 1.5 })).toThrow('[AlertFamily] connections.warningRatio: got 1.5; a ratio above 0 and at most 1, e.g. 0.8');
    expect(() => AlertFamily.connections({ warningRatio: 0.9, criticalRatio: 0.8 })).toThrow('[AlertFamily] connections.warningRatio: got 0.9; must be below criticalRatio (0.8)');
    expect(() => AlertFamily.maintenance({ maxXidAge: 3_000_000_000 })).toThrow('[AlertFamily] maintenance.maxXidAge: got 3000000000; an integer from 1000000 to 2000000000');
    expect(() => AlertFamily.pooling({ maxWaitingClients: 0 })).toThrow('[AlertFamily] pooling.maxWaitingClients: got 0; an integer of at least 1');
    expect(() => AlertFamily.backups({ jobPattern: '(' })).toThrow('[AlertFamily] backups.jobPattern: got "("; a valid regular expression');
    expect(() => AlertFamily.storage({ sizeLimit: Size.gibibytes(0) })).toThrow('[AlertFamily] storage.sizeLimit');
  });

  test('GIVEN an alert of your own named like one of the catalog, or with no expression WHEN added THEN synth or addAlert refuses it', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const alerts = new PostgresAlerts(chart, 'Alerts', { families: [AlertFamily.availability()] });
    // WHEN
    alerts.addAlert({ name: 'PostgresInstanceDown', expr: 'up == 0', severity: Severity.CRITICAL, summary: 's', description: 'd' });
    // THEN
    expect(() => app.synth()).toThrow('[c/Alerts] alert names must be unique: "PostgresInstanceDown" appear more than once');
    expect(() => alerts.addAlert({ name: 'Empty', expr: ' ', severity: Severity.INFO, summary: 's', description: 'd' })).toThrow('[c/Alerts] addAlert(Empty).expr: got " "; a PromQL expression');
  });
});
