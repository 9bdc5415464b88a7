/**
 * What `npm run bench` times in each child process, with nothing but cdk8s imported: the raw
 * baseline (`bench-raw.ts`) must not load the library, whose module-level work would then count
 * for both sides.
 */
import { ApiObject, App, Chart } from 'cdk8s';

export type Mode = 'library' | 'raw';

export interface Measurement {
  readonly example: string;
  readonly mode: Mode;
  readonly copies: number;
  readonly objects: number;
  readonly totalMs: number;
  readonly peakRssMiB: number;
  /** Peak RSS less the RSS before the build: the memory the synth itself took, modules aside. */
  readonly synthRssMiB: number;
  readonly heapUsedMiB: number;
}

/** Adds `copies` copies of a stack to the app, each in a namespace of its own. */
export type Builder = (app: App, copies: number) => void;

/** Builds and synthesizes in memory, on the clock; then reads the process's memory figures. */
export function measure(example: string, mode: Mode, copies: number, build: Builder): Measurement {
  const rssBefore = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  const app = new App({ outdir: '/dev/null' });
  build(app, copies);
  const yaml = app.synthYaml();
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    example,
    mode,
    copies,
    objects: (yaml.match(/^kind: /gm) ?? []).length,
    totalMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    synthRssMiB: (process.resourceUsage().maxRSS * 1024 - rssBefore) / 2 ** 20,
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

/** The baseline: the example's synthesized manifests as plain ApiObjects, one chart per copy. */
export function rawCopies(manifests: readonly any[]): Builder {
  return (app, copies) => {
    for (let i = 0; i < copies; i++) {
      const chart = new Chart(app, `stack-${i}`, { namespace: `stack-${i}` });
      manifests.forEach((manifest, j) => new ApiObject(chart, `o${j}`, manifest));
    }
  };
}
