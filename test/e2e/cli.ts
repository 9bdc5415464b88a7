/**
 * `npm run e2e -- DIR|FILE... [--secrets FILE] [--images FILE] [--ready-timeout SECONDS] [--job-timeout SECONDS] [--logs DIR] [--placeholder-secrets] [--verbose]`:
 * runs synthesized YAML with the local kubelet of test/e2e and prints one line per workload and
 * job, then `N passed, N failed, N not runnable here`. Exits 1 when anything failed. Needs root.
 */
import { formatReport, LocalCluster } from './cluster';
import { loadImageFile } from './images';
import { loadManifests } from './manifests';
import { PodNetwork } from './network';

async function main(argv: string[]): Promise<number> {
  const inputs: string[] = [];
  let secrets: string | undefined;
  let images: string | undefined;
  let readyTimeout = 120;
  let jobTimeout = 300;
  let verbose = false;
  let logs: string | undefined;
  let placeholders = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--secrets') secrets = argv[++i];
    else if (a === '--images') images = argv[++i];
    else if (a === '--ready-timeout') readyTimeout = Number(argv[++i]);
    else if (a === '--job-timeout') jobTimeout = Number(argv[++i]);
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--logs') logs = argv[++i];
    else if (a === '--placeholder-secrets') placeholders = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else inputs.push(a);
  }
  if (inputs.length === 0) {
    console.error('usage: cli.ts DIR|FILE... [--secrets FILE] [--images FILE] [--ready-timeout SECONDS] [--job-timeout SECONDS] [--logs DIR] [--placeholder-secrets] [--verbose]');
    return 2;
  }
  if (process.getuid?.() !== 0) throw new Error('the e2e harness needs root (network namespaces, mounts)');
  for (const dir of PodNetwork.cleanupLeftovers()) console.error(`# removed leftovers of a killed run: ${dir}`);
  const started = Date.now();
  const objects = loadManifests(inputs);
  const cluster = await LocalCluster.up(objects, {
    secrets: secrets ? loadManifests([secrets]).filter((o) => o.kind === 'Secret') : [],
    images: images ? loadImageFile(images) : [],
    readyTimeoutMs: readyTimeout * 1000,
    jobTimeoutMs: jobTimeout * 1000,
    log: verbose ? (line) => console.error(line) : undefined,
    keepLogsIn: logs,
    placeholderSecrets: placeholders,
  });
  let outcomes;
  const interrupt = () => void cluster.down().then(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await cluster.runJobs();
  } finally {
    outcomes = await cluster.down();
  }
  for (const line of formatReport(outcomes)) console.log(line);
  for (const note of cluster.notes) console.log(`# ${note}`);
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outcomes.some((o) => o.status === 'FAIL') ? 1 : 0;
}

// The cluster's own waits do not hold the process open (they must not keep a test run alive):
// when no container runs (every workload unrunnable here), Node would exit 0 mid-run, silently.
const keepAlive = setInterval(() => undefined, 60_000);
main(process.argv.slice(2)).finally(() => clearInterval(keepAlive)).then((code) => process.exit(code), (e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
