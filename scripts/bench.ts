/**
 * `npm run bench`: synth time and peak memory for N copies of an example stack, against a baseline
 * that builds the very same objects as raw cdk8s ApiObjects (no constructs, no validation beyond
 * what cdk8s does). Each measurement runs in a fresh process so peak RSS belongs to it alone.
 *
 *   npm run bench                 N = 1, 10, 100
 *   npm run bench -- 1 50         other N
 */
import { execFileSync } from 'child_process';
import { ApiObject, App, Chart, ChartProps, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { BackedUpPostgresChart } from '../examples/backed-up-postgres/chart';
import { BackupSchedulesChart } from '../examples/backup-schedules/chart';
import { CnpgProductionChart } from '../examples/cnpg-production/chart';
import { MonitoredPostgresChart } from '../examples/monitored-postgres/chart';
import { PooledWebAppChart } from '../examples/pooled-web-app/chart';

/**
 * The example stacks measured; each copy is one chart in a namespace of its own (the examples use
 * fixed object names, and two copies in one namespace would overwrite each other: the library's
 * name check refuses that).
 */
const EXAMPLES: Record<string, new (scope: Construct, id: string, props?: ChartProps) => Chart> = {
  'backup-schedules': BackupSchedulesChart,
  'pooled-web-app': PooledWebAppChart,
  'backed-up-postgres': BackedUpPostgresChart,
  'monitored-postgres': MonitoredPostgresChart,
  'cnpg-production': CnpgProductionChart,
};

type Mode = 'library' | 'raw';

interface Measurement {
  readonly example: string;
  readonly mode: Mode;
  readonly copies: number;
  readonly objects: number;
  readonly totalMs: number;
  readonly peakRssMiB: number;
  readonly heapUsedMiB: number;
}

type Builder = (app: App, copies: number) => void;

function libraryBuilder(Example: (typeof EXAMPLES)[string]): Builder {
  return (app, copies) => {
    for (let i = 0; i < copies; i++) new Example(app, `stack-${i}`, { namespace: `stack-${i}` });
  };
}

/** The manifests are produced before the clock starts: the baseline pays only for ApiObjects. */
function rawBuilder(Example: (typeof EXAMPLES)[string]): Builder {
  const manifests = Testing.synth(new Example(Testing.app(), 'template'));
  return (app, copies) => {
    for (let i = 0; i < copies; i++) {
      const chart = new Chart(app, `stack-${i}`, { namespace: `stack-${i}` });
      manifests.forEach((manifest, j) => new ApiObject(chart, `o${j}`, manifest));
    }
  };
}

/** Child process: build and synthesize in memory, then report. */
function measure(example: string, mode: Mode, copies: number): Measurement {
  const build = mode === 'library' ? libraryBuilder(EXAMPLES[example]) : rawBuilder(EXAMPLES[example]);
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
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

function runChild(example: string, mode: Mode, copies: number): Measurement {
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', example, mode, String(copies)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(measure(args[1], args[2] as Mode, Number(args[3]))));
    return;
  }
  const counts = args.length > 0 ? args.map(Number) : [1, 10, 100];
  for (const example of Object.keys(EXAMPLES)) benchExample(example, counts);
}

function benchExample(example: string, counts: number[]): void {
  console.log(`\nexample: ${example}; synth in memory, construct validations included`);
  console.log('N     mode      objects  total ms  ms/stack  peak RSS MiB  heap used MiB');
  for (const copies of counts) {
    const results = (['library', 'raw'] as Mode[]).map((mode) => runChild(example, mode, copies));
    for (const r of results) {
      console.log(
        [String(r.copies).padEnd(5), r.mode.padEnd(9), String(r.objects).padStart(7), r.totalMs.toFixed(1).padStart(9),
          (r.totalMs / r.copies).toFixed(2).padStart(9), r.peakRssMiB.toFixed(1).padStart(13), r.heapUsedMiB.toFixed(1).padStart(14)].join(' '),
      );
    }
    const [lib, raw] = results;
    console.log(`      library/raw time ratio: ${(lib.totalMs / raw.totalMs).toFixed(2)}x`);
  }
}

main();
