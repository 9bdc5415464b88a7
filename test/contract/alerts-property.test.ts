import * as path from 'path';
import { Yaml, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CLEAR_ERROR } from '../helpers/property';
import { ALERT_PROPS, buildAlerts } from '../monitoring/alert-props';
import { runUnchecked, serviceTempDir, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { synthValidated } from '../helpers/synth';

jest.setTimeout(180_000);

const dir = serviceTempDir('alerts-property');
afterAll(() => dir.remove());

describe('#11.6 PostgresAlerts property sample, checked by promtool', () => {
  test('#11.6 every sampled alert set the library accepts, promtool check rules accepts too', () => {
    const cases = fc.sample(ALERT_PROPS, { numRuns: 30, seed: 1106 });
    const counts = { cases: cases.length, synthesized: 0, libraryRefused: 0, promtoolAccepted: 0, promtoolRefused: 0 };
    const refusals: string[] = [];
    const promtoolErrors: string[] = [];
    cases.forEach((p, i) => {
      const chart = Testing.chart();
      let manifests: any[];
      try {
        buildAlerts(chart, p);
        manifests = synthValidated(chart);
      } catch (e) {
        const message = (e as Error).message;
        expect(message).toMatch(CLEAR_ERROR);
        refusals.push(message.split('\n')[0].slice(0, 160));
        counts.libraryRefused++;
        return;
      }
      counts.synthesized++;
      const rule = manifests.find((m) => m.kind === 'PrometheusRule');
      const file = path.join(dir.path, `case-${i}.yml`);
      writeServiceFile(file, Yaml.stringify({ groups: rule.spec.groups }));
      const result = runUnchecked(program('promtool'), ['check', 'rules', file]);
      if (result.status === 0) {
        counts.promtoolAccepted++;
      } else {
        counts.promtoolRefused++;
        promtoolErrors.push(`case ${i} ${JSON.stringify(p)}:\n${result.stdout}${result.stderr}`);
      }
    });
    console.log(`#11.6 PostgresAlerts property sample (seed 1106): ${JSON.stringify(counts)}\nrefused by the library:\n  ${refusals.join('\n  ')}`);
    expect(promtoolErrors).toEqual([]);
    expect(counts.promtoolRefused).toBe(0);
    expect(counts.synthesized).toBeGreaterThan(counts.cases / 3);
    expect(counts.libraryRefused).toBeGreaterThan(0);
  });
});
