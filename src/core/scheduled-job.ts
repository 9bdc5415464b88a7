import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { warnOnSkippedRuns } from './daylight-saving';
import { propError } from './errors';
import { ImageCatalog } from './image';
import { registerJob } from './job-registry';
import { BEFORE_WRAPPER, DELIVERY_FAILED, NOTIFIER_SCRIPT, STATUS_DIR, WORK_WRAPPER } from './job-scripts';
import { checkDuration, checkInteger } from './prop-checks';
import { Schedule } from './schedule';
import { BasicAuthCredentials, ScheduledJobOptions } from './scheduled-job-options';
import { SecretKeyRef } from './secret-ref';
import { RestrictedSecurity } from './security';
import { checkUniqueNames } from './unique-names';

/** Where a job reports to and what else its pod runs. */
export interface JobReporting {
  /**
   * Webhook that gets the work's own report (`message.json`) or, without one, a failure message;
   * a job that writes no report of its own is thus heard from only when it fails.
   */
  readonly webhook?: SecretKeyRef;
  /** Basic-auth credentials of the Pushgateway. */
  readonly pushgatewayCredentials?: BasicAuthCredentials;
  /** Pushgateway base URL, e.g. `http://pushgateway.monitoring:9091`. */
  readonly pushgatewayUrl?: string;
  /** Grouping key path after `/metrics/job/`, e.g. `pgrel_restore_test/source/app-db`. */
  readonly pushJob?: string;
  /** Init containers that run before the work (they must exit 0 and leave their own status). */
  readonly before?: kplus.ContainerProps[];
  /** Containers that run beside the reporter once the work is done (cleanup). */
  readonly after?: kplus.ContainerProps[];
  /** Mount the ServiceAccount token: the job talks to the Kubernetes API. */
  readonly apiAccess?: boolean;
}

/**
 * A CronJob for library work (backups, dumps, restore tests): Forbid concurrency, its own
 * ServiceAccount without an API token, restricted security, and, when a webhook is given, the
 * work runs as an init container whose exit code a notifier container reports.
 */
export function scheduledJob(
  scope: Construct,
  schedule: Schedule,
  options: ScheduledJobOptions,
  work: kplus.ContainerProps,
  description: string,
  runAsUser: number,
  reporting: JobReporting = {},
  /** What the job does, so alerts can select it by name (see `libraryCronJobs`). */
  kind?: string,
): kplus.CronJob {
  checkInteger(scope, 'backoffLimit', options.backoffLimit, 0, 100);
  checkInteger(scope, 'successfulJobsRetained', options.successfulJobsRetained, 0, 100);
  checkInteger(scope, 'failedJobsRetained', options.failedJobsRetained, 0, 100);
  checkDuration(scope, 'activeDeadline', options.activeDeadline);
  if (options.timeZone !== undefined && !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(options.timeZone)) {
    throw propError(scope, 'timeZone', options.timeZone, 'an IANA time zone name such as "Europe/Berlin" or "UTC"');
  }
  let cron;
  try {
    cron = schedule.toCron();
  } catch (e) {
    throw propError(scope, 'schedule', schedule.toCnpg(), (e as Error).message);
  }
  warnOnSkippedRuns(scope, 'schedule', schedule, options.timeZone);
  checkUniqueNames(scope);
  const serviceAccount = new kplus.ServiceAccount(scope, 'ServiceAccount', { automountToken: reporting.apiAccess ?? false });
  const job = new kplus.CronJob(scope, 'Resource', {
    schedule: cron,
    timeZone: options.timeZone,
    concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
    startingDeadline: Duration.minutes(30),
    successfulJobsRetained: options.successfulJobsRetained ?? 3,
    failedJobsRetained: options.failedJobsRetained ?? 3,
    backoffLimit: options.backoffLimit ?? 1,
    activeDeadline: options.activeDeadline,
    serviceAccount,
    automountServiceAccountToken: reporting.apiAccess ?? false,
    securityContext: { ensureNonRoot: true, user: runAsUser, group: runAsUser, fsGroup: runAsUser },
  });
  if (kind) registerJob(job, kind);
  const security = RestrictedSecurity.container({ user: runAsUser });
  const needsReporter = reporting.webhook || reporting.pushgatewayUrl || reporting.before || reporting.after;
  if (!needsReporter) {
    job.addContainer({ ...work, securityContext: security });
    return job;
  }
  if (/["\\\n]/.test(description)) throw propError(scope, 'description', description, 'no quotes, backslashes or line breaks (it goes into JSON)');
  const status = kplus.Volume.fromEmptyDir(scope, 'JobStatus', 'job-status');
  const command = [...(work.command ?? []), ...(work.args ?? [])];
  if (command.length === 0) throw propError(scope, 'work.command', undefined, 'a notified job needs an explicit command');
  for (const before of reporting.before ?? []) {
    const mounts = [...(before.volumeMounts ?? []), { path: STATUS_DIR, volume: status }];
    const beforeCommand = [...(before.command ?? []), ...(before.args ?? [])];
    job.addInitContainer({ ...before, command: ['/bin/sh', '-c', BEFORE_WRAPPER, 'job'], args: beforeCommand, securityContext: security, volumeMounts: mounts });
  }
  const init = job.addInitContainer({
    ...work,
    // Run the work within its budget, keep its exit code for the notifier, and let the pod go on to it.
    command: ['/bin/sh', '-c', WORK_WRAPPER, 'job'],
    args: command,
    securityContext: security,
    volumeMounts: [...(work.volumeMounts ?? []), { path: STATUS_DIR, volume: status }],
  });
  const budget = workBudgetSeconds(scope, options.activeDeadline);
  if (budget !== undefined) init.env.addVariable('WORK_BUDGET', kplus.EnvValue.fromValue(String(budget)));
  const notifier = job.addContainer({
    name: 'notify',
    image: (options.notifierImage ?? ImageCatalog.CURL).reference,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: ['/bin/sh', '-c', NOTIFIER_SCRIPT],
    resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } },
    securityContext: security,
    volumeMounts: [
      { path: STATUS_DIR, volume: status, readOnly: true },
      { path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'NotifierTmp', 'notifier-tmp') },
    ],
  });
  // The work ran and reported its outcome; only the delivery failed. Retrying would run the
  // work again (another backup, another restore) for a report: fail the Job instead.
  ApiObject.of(job).addJsonPatch(JsonPatch.add('/spec/jobTemplate/spec/podFailurePolicy', {
    rules: [{ action: 'FailJob', onExitCodes: { containerName: 'notify', operator: 'In', values: [DELIVERY_FAILED] } }],
  }));
  init.env.addVariable('JOB_STATUS_DIR', kplus.EnvValue.fromValue(STATUS_DIR));
  notifier.env.addVariable('JOB_STATUS_FILE', kplus.EnvValue.fromValue(`${STATUS_DIR}/exit-code`));
  notifier.env.addVariable('JOB_DESCRIPTION', kplus.EnvValue.fromValue(description));
  notifier.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
  for (const after of reporting.after ?? []) {
    const mounts = [...(after.volumeMounts ?? []), { path: STATUS_DIR, volume: status, readOnly: true }];
    job.addContainer({ ...after, securityContext: security, volumeMounts: mounts });
  }
  reporting.webhook?.addToEnv(notifier, 'WEBHOOK_URL');
  reporting.pushgatewayCredentials?.username.addToEnv(notifier, 'PUSHGATEWAY_USERNAME');
  reporting.pushgatewayCredentials?.password.addToEnv(notifier, 'PUSHGATEWAY_PASSWORD');
  if (reporting.pushgatewayUrl) {
    notifier.env.addVariable('PUSHGATEWAY_URL', kplus.EnvValue.fromValue(reporting.pushgatewayUrl.replace(/\/$/, '')));
    notifier.env.addVariable('PUSH_JOB', kplus.EnvValue.fromValue(reporting.pushJob ?? 'pgrel_job'));
  }
  return job;
}

/** Seconds left for the report after the work's budget: two curl calls with retries, and cleanup. */
const REPORT_RESERVE_SECONDS = 300;

/**
 * The work's time budget: the Job's deadline less what reporting needs, so that a slow run is
 * stopped by its own wrapper (and reports) rather than killed with the pod (and says nothing).
 */
function workBudgetSeconds(scope: Construct, deadline: Duration | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  const seconds = deadline.toSeconds();
  if (seconds < 2 * REPORT_RESERVE_SECONDS) {
    throw propError(scope, 'activeDeadline', deadline.toHumanString(), `at least ${2 * REPORT_RESERVE_SECONDS / 60} minutes: the last ${REPORT_RESERVE_SECONDS / 60} are kept for reporting`);
  }
  return seconds - REPORT_RESERVE_SECONDS;
}

/**
 * The container that runs the work of a `scheduledJob`: an init container when a reporter
 * follows it, the only container otherwise.
 */
export function workContainer(job: kplus.CronJob, name: string): kplus.Container {
  const container = [...job.initContainers, ...job.containers].find((c) => c.name === name);
  if (!container) throw new Error(`scheduledJob: no container named ${name}`);
  return container;
}
