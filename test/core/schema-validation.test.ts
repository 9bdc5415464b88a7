import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { SchemaValidation } from '../../src';
import { Cluster } from '../../src/imports/postgresql.cnpg.io';
import { synthValidated } from '../helpers/synth';

function clusterChart() {
  const app = Testing.app();
  const chart = new Chart(app, 'db');
  const cluster = new Cluster(chart, 'Resource', {
    metadata: { name: 'app-db' },
    spec: { instances: 3, storage: { size: '10Gi' }, postgresql: { parameters: { max_connections: '200' } } },
  });
  SchemaValidation.addTo(cluster);
  return { app, chart, cluster };
}

describe('SchemaValidation', () => {
  test('GIVEN a valid CNPG Cluster with schema validation WHEN synthesized THEN it synthesizes', () => {
    // GIVEN a valid Cluster
    const { chart } = clusterChart();
    // WHEN synthesized with validation
    const [cluster] = synthValidated(chart);
    // THEN the Cluster is in the output
    expect(cluster.spec.instances).toBe(3);
  });

  test('GIVEN a misspelled field WHEN synthesized THEN synth fails with the object, the path and the field', () => {
    // GIVEN a Cluster whose escape-hatch patch misspells "parameters"
    const { app, cluster } = clusterChart();
    ApiObject.of(cluster).addJsonPatch(JsonPatch.add('/spec/postgresql/paramters', { work_mem: '8MB' }));
    // WHEN synthesized THEN synth fails and says exactly which field is unknown
    expect(() => app.synth()).toThrow(
      '[db/Resource] Cluster "app-db" spec.postgresql.paramters: unknown field (not in the CRD schema; the API server would prune it)',
    );
  });

  test('GIVEN a raw ApiObject of a CRD kind with a wrong type and enum value WHEN checked THEN both errors are reported', () => {
    // GIVEN a ScheduledBackup written as a raw ApiObject, target not in the enum and immediate not a boolean
    const chart = Testing.chart();
    const raw = new ApiObject(chart, 'Raw', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: 'daily' },
      spec: { schedule: '0 0 2 * * *', cluster: { name: 'app-db' }, target: 'standby-please', immediate: 'yes' },
    });
    // WHEN checked against the CRD schema
    const errors = SchemaValidation.errorsOf(raw);
    // THEN the type and the enum are both reported
    expect(errors).toEqual([
      'ScheduledBackup "daily" spec.immediate: must be boolean',
      'ScheduledBackup "daily" spec.target: must be one of ["primary","prefer-standby"]',
    ]);
  });

  test('GIVEN kinds with and without a schema WHEN checked THEN unknown kinds are not judged and the known kinds have a schema', () => {
    // WHEN a core ConfigMap (no schema here) has odd data THEN there is no error
    expect(SchemaValidation.errorsOfJson(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 1 } }))).toEqual([]);
    // WHEN each CRD kind the library writes is looked up THEN it has a schema
    for (const [apiVersion, kind] of [
      ['postgresql.cnpg.io/v1', 'Cluster'],
      ['postgresql.cnpg.io/v1', 'Pooler'],
      ['postgresql.cnpg.io/v1', 'ScheduledBackup'],
      ['postgresql.cnpg.io/v1', 'Backup'],
      ['barmancloud.cnpg.io/v1', 'ObjectStore'],
      ['monitoring.coreos.com/v1', 'PrometheusRule'],
      ['monitoring.coreos.com/v1', 'PodMonitor'],
      ['monitoring.coreos.com/v1', 'ServiceMonitor'],
    ]) {
      expect(SchemaValidation.hasSchema(apiVersion, kind)).toBe(true);
    }
  });

  test('GIVEN a PodMonitor with a number in an int-or-string field and free-form labels WHEN checked THEN there is no error', () => {
    // GIVEN a PodMonitor whose targetPort (int-or-string) is a number and whose matchLabels hold any key
    const chart = Testing.chart();
    const monitor = new ApiObject(chart, 'Pm', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'pg' },
      spec: { selector: { matchLabels: { app: 'pg' } }, podMetricsEndpoints: [{ port: 'metrics', targetPort: 9187 }] },
    });
    // WHEN checked THEN int-or-string fields accept both and objects that preserve unknown fields stay open
    expect(SchemaValidation.errorsOf(monitor)).toEqual([]);
  });

  test('GIVEN an object with 15 unknown fields WHEN the App is synthesized THEN the errors are reported, capped per object', () => {
    // GIVEN a validated PrometheusRule with 15 unknown fields
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'many');
    const spec: Record<string, number> = {};
    for (let i = 0; i < 15; i++) spec[`typo${i}`] = i;
    SchemaValidation.addTo(new ApiObject(chart, 'Rule', { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec }));
    // WHEN synthesized THEN the first 10 are listed, the rest counted
    expect(() => app.synth()).toThrow(/spec.typo4: unknown field[^]*PrometheusRule "r": 5 more errors/);
  });
});
