/**
 * The shell pieces every library Job runs around its work. POSIX sh only: they run in the work's
 * own image (Debian, Alpine, Spilo) and in the curl image (busybox), so no `timeout`, no bash.
 */

/** The directory the work, the steps before it and the reporter share. */
export const STATUS_DIR = '/run/job-status';

/** Exit code of the reporter when the work succeeded but its report or metrics were not delivered. */
export const DELIVERY_FAILED = 75;

/**
 * Wraps a step that runs before the work: the first one notes when the pod started working, so
 * the work's time budget counts the time the steps before it took.
 */
export const BEFORE_WRAPPER = `[ -s "\${JOB_STATUS_DIR:-${STATUS_DIR}}/started-at" ] || date +%s > "\${JOB_STATUS_DIR:-${STATUS_DIR}}/started-at"
exec "$@"`;

/**
 * Runs the work (`"$@"`) and leaves its exit code for the reporter. With a budget (`$WORK_BUDGET`
 * seconds, counted from the pod's first step) the work is stopped with SIGTERM, then SIGKILL, before
 * the Job's activeDeadlineSeconds kills the whole pod: a run that is too slow still ends in a
 * report. A SIGTERM to the pod is passed on to the work, which reports before it goes.
 */
export const WORK_WRAPPER = `status="\${JOB_STATUS_DIR:-${STATUS_DIR}}"
started=$(cat "$status/started-at" 2>/dev/null || date +%s)
# The work gets a process group of its own (setsid, where the image has it) and signals go to all
# of it: bash runs its traps only once the command in the foreground (a restore, a dump) ended.
if command -v setsid > /dev/null; then setsid "$@" & else "$@" & fi
work=$!
signal() { kill "-$1" "-$work" 2>/dev/null || kill "-$1" "$work" 2>/dev/null; }
trap 'signal TERM' TERM INT
watchdog=''
if [ -n "\${WORK_BUDGET:-}" ]; then
  left=$(( started + WORK_BUDGET - $(date +%s) ))
  [ "$left" -gt 0 ] || left=1
  (
    sleep "$left"
    echo "time limit reached (\${WORK_BUDGET}s): stopping the work so that it can still report" >&2
    signal TERM
    sleep 60
    signal KILL
  ) &
  watchdog=$!
fi
while :; do
  wait "$work"
  code=$?
  kill -0 "$work" 2>/dev/null || break
done
[ -z "$watchdog" ] || kill "$watchdog" 2>/dev/null
echo "$code" > "$status/exit-code"`;

/**
 * The reporter: reads the work's exit code (none, or not a number, counts as a failure: the work
 * was killed before it could write one); posts the work's own report (`message.json`) or, when
 * there is none and the work failed, a failure message to the webhook; pushes `metrics.prom` to a
 * Pushgateway when one is set. It exits with the work's code, so the Job fails when the work did,
 * and with ${DELIVERY_FAILED} when the work succeeded but a report could not be delivered: a report
 * nobody received must fail the Job so that the job alerts fire. Prints no secret.
 */
export const NOTIFIER_SCRIPT = `set -u
file=\${JOB_STATUS_FILE:-${STATUS_DIR}/exit-code}
dir=$(dirname "$file")
code=$(cat "$file" 2>/dev/null || true)
case "$code" in
  ''|*[!0-9]*) code=127; what="ended without an exit code (killed, or out of memory)" ;;
  *) what="failed with exit code $code" ;;
esac
# Secrets (the webhook URL, Pushgateway credentials) reach curl as a config on stdin, through
# printf, a shell builtin: never on a command line that every process in the pod can read.
esc() { printf '%s' "$1" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g'; }
payload=""
if [ -s "$dir/message.json" ]; then
  payload="$dir/message.json"
elif [ "$code" -ne 0 ]; then
  printf '{"text":"%s %s (pod %s)"}' "$JOB_DESCRIPTION" "$what" "$POD_NAME" > /tmp/payload.json
  payload=/tmp/payload.json
fi
undelivered=0
if [ -n "$payload" ] && [ -n "\${WEBHOOK_URL:-}" ]; then
  if ! printf 'url = "%s"\\n' "$(esc "$WEBHOOK_URL")" | curl -K - -fsS --retry 3 --retry-connrefused --max-time 20 -X POST -H 'Content-Type: application/json' --data @"$payload" > /dev/null; then
    echo "could not post the report to the webhook" >&2
    undelivered=1
  fi
fi
if [ -n "\${PUSHGATEWAY_URL:-}" ] && [ -s "$dir/metrics.prom" ]; then
  auth=''
  if [ -n "\${PUSHGATEWAY_USERNAME:-}" ]; then
    auth="user = \\"$(esc "$PUSHGATEWAY_USERNAME"):$(esc "\${PUSHGATEWAY_PASSWORD:-}")\\""
  fi
  if ! printf '%s\\n' "$auth" | curl -K - -fsS --retry 3 --retry-connrefused --max-time 20 --data-binary @"$dir/metrics.prom" "$PUSHGATEWAY_URL/metrics/job/$PUSH_JOB" > /dev/null; then
    echo "could not push metrics to the Pushgateway" >&2
    undelivered=1
  fi
fi
if [ "$code" -ne 0 ]; then exit "$code"; fi
if [ "$undelivered" -ne 0 ]; then
  echo "the work succeeded but its report was not delivered: failing the Job so that it alerts" >&2
  exit ${DELIVERY_FAILED}
fi
exit 0`;
