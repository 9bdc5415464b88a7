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
  test('a valid CNPG Cluster synthesizes', () => {
    const { chart } = clusterChart();
    const [cluster] = synthValidated(chart);
    expect(cluster.spec.instances).toBe(3);
  });

  test('a misspelled field fails the synth with the object, the path and the field', () => {
    // GIVEN a Cluster whose escape-hatch patch misspells "parameters"
    const { app, cluster } = clusterChart();
    ApiObject.of(cluster).addJsonPatch(JsonPatch.add('/spec/postgresql/paramters', { work_mem: '8MB' }));
    // THEN synth fails and says exactly which field is unknown
    expect(() => app.synth()).toThrow(
      '[db/Resource] Cluster "app-db" spec.postgresql.paramters: unknown field (not in the CRD schema; the API server would prune it)',
    );
  });

  test('a raw ApiObject of a CRD kind is checked too: types and enums', () => {
    const chart = Testing.chart();
    const raw = new ApiObject(chart, 'Raw', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: 'daily' },
      spec: { schedule: '0 0 2 * * *', cluster: { name: 'app-db' }, target: 'standby-please', immediate: 'yes' },
    });
    const errors = SchemaValidation.errorsOf(raw);
    expect(errors).toEqual([
      'ScheduledBackup "daily" spec.immediate: must be boolean',
      'ScheduledBackup "daily" spec.target: must be one of ["primary","prefer-standby"]',
    ]);
  });

  test('kinds without a schema are not judged, and known kinds are listed', () => {
    expect(SchemaValidation.errorsOfJson(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 1 } }))).toEqual([]);
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

  test('int-or-string fields accept both and objects that preserve unknown fields stay open', () => {
    const chart = Testing.chart();
    const monitor = new ApiObject(chart, 'Pm', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'pg' },
      spec: { selector: { matchLabels: { app: 'pg' } }, podMetricsEndpoints: [{ port: 'metrics', targetPort: 9187 }] },
    });
    expect(SchemaValidation.errorsOf(monitor)).toEqual([]);
  });

  test('an App with many errors reports them all, capped per object', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'many');
    const spec: Record<string, number> = {};
    for (let i = 0; i < 15; i++) spec[`typo${i}`] = i;
    SchemaValidation.addTo(new ApiObject(chart, 'Rule', { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec }));
    // 15 unknown fields: the first 10 are listed, the rest counted.
    expect(() => app.synth()).toThrow(/spec.typo4: unknown field[^]*PrometheusRule "r": 5 more errors/);
  });
});
