import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

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

// Keyed by the CronJob construct: a WeakMap keeps the mark off the construct's public shape.
const registry = new WeakMap<IConstruct, JobKind>();

/** Marks a CronJob construct (one whose `ApiObject.of()` is the CronJob) with its kind. */
export function registerJob(cronJob: IConstruct, kind: string): void {
  if (!KINDS.includes(kind)) throw new Error(`registerJob: unknown job kind "${kind}"; expected one of ${KINDS.join(', ')}`);
  registry.set(cronJob, kind as JobKind);
}

/**
 * Every library CronJob in the app of `scope` (all charts under `node.root`), optionally of some
 * kinds only, sorted by name. Names are read from the synthesized object, so a name set by a
 * prop or a JSON patch is the one selected.
 */
export function libraryCronJobs(scope: IConstruct, kinds?: readonly JobKind[]): LibraryCronJob[] {
  const found: LibraryCronJob[] = [];
  for (const construct of scope.node.root.node.findAll()) {
    const kind = registry.get(construct);
    if (!kind || (kinds && !kinds.includes(kind))) continue;
    const metadata = ApiObject.of(construct).toJson().metadata ?? {};
    found.push({ kind, name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) });
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
