import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { synthValidated } from './synth';

/** "[path] prop: got value; what would be accepted" */
export const CLEAR_ERROR = /^\[[^\]]+\] [\w.[\]()]+: got .*; \S/s;

/**
 * The bad-input property every construct must hold: for any generated props, `build` either
 * throws the library's clear error or the chart synthesizes into schema-valid objects (then
 * `inspect` may look closer). Both outcomes must really occur, or the generator proves little.
 */
export function synthesizesOrExplains<T>(
  props: fc.Arbitrary<T>,
  build: (chart: Chart, value: T) => void,
  options: { seed: number; numRuns?: number; inspect?: (manifests: any[], value: T) => void },
): void {
  const outcomes = { synthesized: 0, refused: 0 };
  fc.assert(fc.property(props, (value) => {
    const chart = Testing.chart();
    try {
      build(chart, value);
    } catch (e) {
      expect((e as Error).message).toMatch(CLEAR_ERROR);
      outcomes.refused++;
      return;
    }
    const manifests = synthValidated(chart);
    options.inspect?.(manifests, value);
    outcomes.synthesized++;
  }), { numRuns: options.numRuns ?? 200, seed: options.seed });
  const floor = Math.floor((options.numRuns ?? 200) / 10);
  expect(outcomes.synthesized).toBeGreaterThan(floor);
  expect(outcomes.refused).toBeGreaterThan(floor);
}
