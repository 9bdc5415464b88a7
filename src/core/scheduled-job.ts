import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDuration, checkInteger } from './checks';
import { propError } from './errors';
import { ImageCatalog } from './image';
import { Schedule } from './schedule';
import { ScheduledJobOptions } from './scheduled-job-options';
import { restrictedContainerSecurity } from './security';

/** Where the work container leaves its exit code for the notifier. */
const STATUS_DIR = '/run/job-status';

/**
 * The reporter: reads the work's exit code; posts the work's own report (`message.json`) or, when
 * there is none and the work failed, a failure message to the webhook; pushes `metrics.prom` to a
 * Pushgateway when one is set; and exits with the work's code so the Job fails when the work did.
 * POSIX sh (busybox in the curl image); prints no secret.
 */
export const NOTIFIER_SCRIPT = `set -eu
code=$(cat "$JOB_STATUS_FILE" 2>/dev/null || echo 127)
dir=$(dirname "$JOB_STATUS_FILE")
payload=""
if [ -s "$dir/message.json" ]; then
  payload="$dir/message.json"
elif [ "$code" -ne 0 ]; then
  printf '{"text":"%s failed with exit code %s (pod %s)"}' "$JOB_DESCRIPTION" "$code" "$POD_NAME" > /tmp/payload.json
  payload=/tmp/payload.json
fi
if [ -n "$payload" ] && [ -n "\${WEBHOOK_URL:-}" ]; then
  if ! curl -fsS --max-time 20 -X POST -H 'Content-Type: application/json' --data @"$payload" "$WEBHOOK_URL" > /dev/null; then
    echo "could not post the report to the webhook" >&2
  fi
fi
if [ -n "\${PUSHGATEWAY_URL:-}" ] && [ -s "$dir/metrics.prom" ]; then
  if ! curl -fsS --max-time 20 --data-binary @"$dir/metrics.prom" "$PUSHGATEWAY_URL/metrics/job/$PUSH_JOB" > /dev/null; then
    echo "could not push metrics to the Pushgateway" >&2
  fi
fi
exit "$code"
`;

/** Where a job reports to, beyond the failure webhook, and what else its pod runs. */
export interface JobReporting {
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
  const security = restrictedContainerSecurity(runAsUser);
  const needsReporter = options.failureWebhook || reporting.pushgatewayUrl || reporting.before || reporting.after;
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
    job.addInitContainer({ ...before, securityContext: security, volumeMounts: mounts });
  }
  const init = job.addInitContainer({
    ...work,
    // Run the work, keep its exit code for the notifier, and let the pod go on to it.
    command: ['/bin/sh', '-c', `"$@"; echo $? > ${STATUS_DIR}/exit-code`, 'job'],
    args: command,
    securityContext: security,
    volumeMounts: [...(work.volumeMounts ?? []), { path: STATUS_DIR, volume: status }],
  });
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
  init.env.addVariable('JOB_STATUS_DIR', kplus.EnvValue.fromValue(STATUS_DIR));
  notifier.env.addVariable('JOB_STATUS_FILE', kplus.EnvValue.fromValue(`${STATUS_DIR}/exit-code`));
  notifier.env.addVariable('JOB_DESCRIPTION', kplus.EnvValue.fromValue(description));
  notifier.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
  for (const after of reporting.after ?? []) {
    const mounts = [...(after.volumeMounts ?? []), { path: STATUS_DIR, volume: status, readOnly: true }];
    job.addContainer({ ...after, securityContext: security, volumeMounts: mounts });
  }
  options.failureWebhook?.addToEnv(notifier, 'WEBHOOK_URL');
  if (reporting.pushgatewayUrl) {
    notifier.env.addVariable('PUSHGATEWAY_URL', kplus.EnvValue.fromValue(reporting.pushgatewayUrl.replace(/\/$/, '')));
    notifier.env.addVariable('PUSH_JOB', kplus.EnvValue.fromValue(reporting.pushJob ?? 'pgrel_job'));
  }
  return job;
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
