/**
 * `npm run bench`: synth time and peak memory for N copies of an example stack, against a baseline
 * that builds the very same objects as raw cdk8s ApiObjects (no constructs, no validation beyond
 * what cdk8s does). Each measurement runs in a fresh process so peak RSS belongs to it alone;
 * the processes run this file compiled to JavaScript (once, into a temporary directory), so
 * neither time nor memory includes compiling TypeScript. Also prints how long `require` of the
 * library takes against `cdk8s-plus-28` alone.
 *
 *   npm run bench                 N = 1, 10, 100, 1000
 *   npm run bench -- 1 50         other N
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, ChartProps, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Builder, Measurement, Mode, measure } from './bench-synth';
import { BackedUpPostgresChart } from '../examples/backed-up-postgres/chart';
import { BackupSchedulesChart } from '../examples/backup-schedules/chart';
import { CnpgProductionChart } from '../examples/cnpg-production/chart';
import { MonitoredPostgresChart } from '../examples/monitored-postgres/chart';
import { PatroniHaChart } from '../examples/patroni-ha/chart';
import { PooledWebAppChart } from '../examples/pooled-web-app/chart';
import { ReadReplicasChart } from '../examples/read-replicas/chart';

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
  'read-replicas': ReadReplicasChart,
  'patroni-ha': PatroniHaChart,
};

function libraryCopies(Example: (typeof EXAMPLES)[string]): Builder {
  return (app, copies) => {
    for (let i = 0; i < copies; i++) new Example(app, `stack-${i}`, { namespace: `stack-${i}` });
  };
}

/**
 * This file, the examples and src compiled to JavaScript in a temporary directory (type checking
 * is `npm test`'s job), with the data files src reads at run time copied beside them.
 */
function compiled(): string {
  const root = path.resolve(__dirname, '..');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-reliability-bench-'));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'scripts', 'tsconfig.json'), '--outDir', out,
    '--noEmit', 'false', '--noCheck', '--noEmitOnError', 'false', '--declaration', 'false', '--inlineSourceMap', 'false', '--inlineSources', 'false'], { stdio: 'inherit' });
  const copyData = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) copyData(rel);
      else if (!entry.name.endsWith('.ts')) fs.copyFileSync(path.join(root, rel), path.join(out, rel));
    }
  };
  copyData('src');
  // RunbookLinks.packaged() reads the package's name and version and its runbooks/ folder.
  fs.copyFileSync(path.join(root, 'package.json'), path.join(out, 'package.json'));
  fs.symlinkSync(path.join(root, 'runbooks'), path.join(out, 'runbooks'));
  // Modules resolve from the build as they do from the project.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'));
  return out;
}

/** The example's manifests, synthesized once by the library, for the raw baseline to copy. */
function templateFile(build: string, example: string): string {
  const file = path.join(build, `${example}.manifests.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(Testing.synth(new EXAMPLES[example](Testing.app(), 'template'))));
  return file;
}

function runChild(build: string, example: string, mode: Mode, copies: number): Measurement {
  const args = mode === 'library'
    ? [path.join(build, 'scripts', 'bench.js'), '--child', example, String(copies)]
    : [path.join(build, 'scripts', 'bench-raw.js'), example, templateFile(build, example), String(copies)];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Median milliseconds to `require` a module in a fresh process, over five processes. */
function requireMs(module: string): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(module)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const runs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.resolve(__dirname, '..') })));
  return runs.sort((a, b) => a - b)[2];
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(measure(args[1], 'library', Number(args[2]), libraryCopies(EXAMPLES[args[1]]))));
    return;
  }
  const counts = args.length > 0 ? args.map(Number) : [1, 10, 100, 1000];
  const build = compiled();
  try {
    const library = requireMs(path.join(build, 'src', 'index.js'));
    const plus = requireMs('cdk8s-plus-28');
    console.log(`require, median of 5 fresh processes: the library ${library.toFixed(1)} ms, cdk8s-plus-28 alone ${plus.toFixed(1)} ms (${(library / plus).toFixed(2)}x)`);
    const summary = Object.keys(EXAMPLES).map((example) => benchExample(build, example, counts));
    printSummary(counts, summary);
  } finally {
    fs.rmSync(build, { recursive: true, force: true });
  }
}

interface ExampleResult { readonly example: string; readonly results: ReadonlyArray<readonly [Measurement, Measurement]> }

function benchExample(build: string, example: string, counts: number[]): ExampleResult {
  console.log(`\nexample: ${example}; synth in memory, construct validations included`);
  console.log('N     mode      objects  total ms  ms/stack  peak RSS MiB  synth RSS MiB  heap used MiB');
  const results = counts.map((copies) => {
    const [lib, raw] = (['library', 'raw'] as Mode[]).map((mode) => runChild(build, example, mode, copies));
    for (const r of [lib, raw]) {
      console.log(
        [String(r.copies).padEnd(5), r.mode.padEnd(9), String(r.objects).padStart(7), r.totalMs.toFixed(1).padStart(9),
          (r.totalMs / r.copies).toFixed(2).padStart(9), r.peakRssMiB.toFixed(1).padStart(13), r.synthRssMiB.toFixed(1).padStart(14),
          r.heapUsedMiB.toFixed(1).padStart(14)].join(' '),
      );
    }
    console.log(`      library/raw: time ${(lib.totalMs / raw.totalMs).toFixed(2)}x, peak RSS ${(lib.peakRssMiB / raw.peakRssMiB).toFixed(2)}x, synth RSS ${(lib.synthRssMiB / raw.synthRssMiB).toFixed(2)}x`);
    return [lib, raw] as const;
  });
  return { example, results };
}

/**
 * One line per example: the library/raw time ratio at each N, the peak RSS ratio at the largest
 * N, and how much more the library's time grows than the baseline's between the two largest N
 * (1.00 = both grow alike; synth is linear when the baseline is).
 */
function printSummary(counts: number[], summary: ExampleResult[]): void {
  console.log(`\nsummary: library/raw time at N = ${counts.join(', ')}; peak RSS at N = ${counts[counts.length - 1]}; growth = (library growth)/(raw growth) between the two largest N`);
  for (const { example, results } of summary) {
    const ratios = results.map(([lib, raw]) => `${(lib.totalMs / raw.totalMs).toFixed(2)}x`).join('  ');
    const [lastLib, lastRaw] = results[results.length - 1];
    const rss = `${(lastLib.peakRssMiB / lastRaw.peakRssMiB).toFixed(2)}x (synth ${(lastLib.synthRssMiB / lastRaw.synthRssMiB).toFixed(2)}x)`;
    let growth = '-';
    if (results.length >= 2) {
      const [prevLib, prevRaw] = results[results.length - 2];
      growth = ((lastLib.totalMs / prevLib.totalMs) / (lastRaw.totalMs / prevRaw.totalMs)).toFixed(2);
    }
    console.log(`${example.padEnd(20)} time ${ratios}  | peak RSS ${rss} | growth ${growth}`);
  }
}

main();
