import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { oncePerSynth, renderedForChecks } from './synth-scope';

/**
 * What a library CronJob does. Alerts select the CronJobs of a kind by their exact names, which
 * the library knows at synth, instead of guessing them from name patterns.
 */
export type JobKind = 'backup-full' | 'backup-diff' | 'backup-incr' | 'dump' | 'restore-test' | 'cnpg-restore-test';

/** Every kind, in a stable order. */
export const JOB_KINDS: readonly JobKind[] = ['backup-full', 'backup-diff', 'backup-incr', 'dump', 'restore-test', 'cnpg-restore-test'];
const KINDS: readonly string[] = JOB_KINDS;

/** A CronJob the library created, as the API server and kube-state-metrics will name it. */
export interface LibraryCronJob {
  readonly kind: JobKind;
  /** `metadata.name` of the synthesized object (kube-state-metrics' `cronjob` label). */
  readonly name: string;
  /** `metadata.namespace`, when the chart or object sets one. */
  readonly namespace?: string;
}

// The library CronJobs of each app, kept as they are registered: finding them never walks the
// construct tree, and the list read at synth is shared by every alert that asks (synth stays
// linear in the size of the app however many PostgresAlerts there are).
const jobsByApp = new WeakMap<IConstruct, Array<{ readonly construct: IConstruct; readonly kind: JobKind }>>();
const readers = new WeakMap<IConstruct, () => LibraryCronJob[]>();

/** Marks a CronJob construct (one whose `ApiObject.of()` is the CronJob) with its kind. */
export function registerJob(cronJob: IConstruct, kind: string): void {
  if (!KINDS.includes(kind)) throw new Error(`registerJob: unknown job kind "${kind}"; expected one of ${KINDS.join(', ')}`);
  const root = cronJob.node.root;
  const jobs = jobsByApp.get(root) ?? [];
  jobsByApp.set(root, jobs);
  jobs.push({ construct: cronJob, kind: kind as JobKind });
}

/**
 * Every library CronJob in the app of `scope` (all charts under `node.root`), optionally of some
 * kinds only, sorted by name. Names are read from the synthesized object, so a name set by a
 * prop or a JSON patch is the one selected; they are read once per synth.
 */
export function libraryCronJobs(scope: IConstruct, kinds?: readonly JobKind[]): LibraryCronJob[] {
  const root = scope.node.root;
  let read = readers.get(root);
  if (!read) {
    read = oncePerSynth(() => (jobsByApp.get(root) ?? []).map(({ construct, kind }) => {
      const metadata = renderedForChecks(ApiObject.of(construct)).metadata ?? {};
      return { kind, name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) };
    }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    readers.set(root, read);
  }
  const jobs = read();
  return kinds ? jobs.filter((job) => kinds.includes(job.kind)) : [...jobs];
}
