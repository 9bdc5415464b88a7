import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { ALERT_PROPS, buildAlerts } from './alert-props';
import { ColumnUsage, PostgresExporter, SecretKeyRef } from '../../src';
import { awkwardStrings } from '../helpers/awkward';
import { synthesizesOrExplains } from '../helpers/property';

describe('monitoring constructs over arbitrary props (property-based)', () => {
  test('alert families: a schema-valid PrometheusRule or a clear error (thresholds, label names, RE2 patterns, CronJobs, custom alerts)', () => {
    // GIVEN the inputs below WHEN each is checked THEN:
    synthesizesOrExplains(ALERT_PROPS, (chart, p) => {
      buildAlerts(chart, p);
    }, { seed: 3 });
  });

  test('PostgresExporter custom queries: valid YAML or a clear error', () => {
    // GIVEN the inputs below WHEN each is checked THEN:
    synthesizesOrExplains(fc.record({
      name: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/), weight: 6 }, { arbitrary: awkwardStrings({ maxLength: 8 }), weight: 1 }),
      sql: fc.oneof({ arbitrary: awkwardStrings({ minLength: 1, maxLength: 40 }).map((s) => `SELECT 1 AS n -- ${s}`), weight: 6 }, { arbitrary: fc.constant(''), weight: 1 }),
      column: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), weight: 6 }, { arbitrary: fc.constant('Bad Column'), weight: 1 }),
      usage: fc.constantFrom(ColumnUsage.GAUGE, ColumnUsage.COUNTER, ColumnUsage.LABEL),
    }), (chart, p) => {
      const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
      new PostgresExporter(chart, 'Exporter', {
        connection: { user: 'monitor', password },
        clusterName: 'app-db',
        queries: [{ name: p.name, sql: p.sql, columns: [{ name: p.column, usage: p.usage, description: 'd' }] }],
      });
    }, {
      seed: 9,
      // The SQL survives YAML quoting whatever characters it holds.
      inspect: (manifests, p) => expect(YAML.parse(manifests.find((m) => m.kind === 'ConfigMap').data['queries.yaml'])[p.name].query).toBe(`${p.sql.trim()}\n`),
    });
  });
});
