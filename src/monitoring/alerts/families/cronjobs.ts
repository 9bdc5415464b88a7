import { JobKind, LibraryCronJob } from '../../../core/job-registry';
import { promString } from '../promql';

/** What a family knows of the app it is rendered in. */
export interface AlertContext {
  /** The library's CronJobs in the app (all charts), by kind and synthesized name. */
  readonly cronJobs: readonly LibraryCronJob[];
}

/**
 * The regex of the CronJobs a rule watches: the user's pattern when given (an override for
 * CronJobs made elsewhere), else exactly the library's CronJobs of these kinds, else undefined
 * (nothing to watch: the rule is left out).
 */
export function cronJobRegex(ctx: AlertContext, kinds: readonly JobKind[], pattern?: string): string | undefined {
  if (pattern !== undefined) return pattern;
  const names = ctx.cronJobs.filter((j) => kinds.includes(j.kind)).map((j) => j.name.replace(/[.]/g, '\\.'));
  return names.length > 0 ? `^(${[...new Set(names)].join('|')})$` : undefined;
}

/** Joins several selections into one regex (Prometheus anchors `=~` at both ends). */
export function anyOf(regexes: ReadonlyArray<string | undefined>): string | undefined {
  const present = regexes.filter((r): r is string => r !== undefined);
  if (present.length <= 1) return present[0];
  return present.map((r) => `(?:${r})`).join('|');
}

/**
 * Seconds since the CronJobs last succeeded, per CronJob, above `maxSeconds`; a CronJob that never
 * succeeded counts from its creation (kube-state-metrics has no last-success series for it).
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/cronjob-metrics.md
 */
export function cronJobTooOld(regex: string, maxSeconds: number): string {
  const sel = `{cronjob=~${promString(regex)}}`;
  return [
    `(time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time${sel}) > ${maxSeconds})`,
    `or (time() - max by (namespace, cronjob) (kube_cronjob_created${sel}) > ${maxSeconds}`,
    '  unless on (namespace, cronjob) kube_cronjob_status_last_successful_time)',
  ].join('\n');
}

/**
 * Per CronJob, the start time of its newest failed Job, when no run of the CronJob has succeeded
 * since (the CronJob's last successful time is older, or absent). A failed Job stays in the
 * history (`failedJobsRetained`) long after a later run succeeded; counting it alone would keep
 * the alert firing for weeks.
 * @param jobRegex select the Jobs by their own name instead of their CronJob's
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md
 */
export function cronJobLastRunFailed(cronJobs: string | undefined, jobRegex?: string): string {
  const owner = jobRegex !== undefined
    ? `kube_job_owner{owner_kind="CronJob",job_name=~${promString(jobRegex)}}`
    : `kube_job_owner{owner_kind="CronJob",owner_name=~${promString(cronJobs ?? '')}}`;
  const lastFailed = [
    'max by (namespace, cronjob) (label_replace(',
    `  kube_job_status_start_time * on (namespace, job_name) group_left (owner_name) max by (namespace, job_name, owner_name) (${owner})`,
    '  and on (namespace, job_name) (kube_job_failed{condition="true"} == 1),',
    '  "cronjob", "$1", "owner_name", "(.+)"))',
  ].join('\n');
  return [
    `${lastFailed}\n> on (namespace, cronjob) max by (namespace, cronjob) (kube_cronjob_status_last_successful_time)`,
    `or (${lastFailed}\nunless on (namespace, cronjob) kube_cronjob_status_last_successful_time)`,
  ].join('\n');
}
