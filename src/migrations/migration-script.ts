/**
 * The migration runner: a POSIX sh script run by MigrationJob in a PostgreSQL client image
 * (psql, sha256sum). Pure text; the contract test runs it against a real server.
 *
 * Files mode: reads `$MIGRATION_DIR/plan` (one `<tx|notx> <file>` per line, in order, written at
 * synth from what the linter knows: files with CONCURRENTLY, VACUUM, ... cannot run in a
 * transaction). Each file not yet in the history table runs through psql with ON_ERROR_STOP:
 * `tx` files in one transaction together with their history row (exactly once); `notx` files
 * statement by statement, their row written after (they must be safe to re-run: IF NOT EXISTS).
 * A file already applied with other contents fails the run.
 *
 * Command mode: runs the user's command (`"$@"`).
 *
 * Either way, a failure whose output carries SQLSTATE 55P03 (lock_timeout) is retried after a
 * pause that doubles up to `$MIGRATION_MAX_DELAY`, at most `$MIGRATION_MAX_ATTEMPTS` attempts in
 * all. Any other failure ends the run at once. With `$JOB_STATUS_DIR` set, a report
 * (`message.json`) and metrics (`metrics.prom`) are left for the job's notifier.
 */
export const MIGRATION_SCRIPT = `set -u
dir="\${MIGRATION_DIR:-/migrations}"
table="\${MIGRATION_HISTORY_TABLE:-pgrel_migrations}"
attempts="\${MIGRATION_MAX_ATTEMPTS:-5}"
first_delay="\${MIGRATION_RETRY_DELAY:-5}"
max_delay="\${MIGRATION_MAX_DELAY:-60}"
status="\${JOB_STATUS_DIR:-}"
work=$(mktemp -d)
retries=0
applied=0
psql_() { psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose "$@"; }

report() {
  # $1: outcome (success|failure); $2: text (no quotes or backslashes: they are stripped)
  [ -n "$status" ] || return 0
  text=$(printf '%s' "$2" | tr -d '"\\\\' | tr '\\n\\t' '  ')
  printf '{"text":"%s"}\\n' "$text" > "$status/message.json"
  {
    echo "# TYPE pgrel_migration_success gauge"
    if [ "$1" = success ]; then echo "pgrel_migration_success 1"; else echo "pgrel_migration_success 0"; fi
    echo "# TYPE pgrel_migration_files_applied gauge"
    echo "pgrel_migration_files_applied $applied"
    echo "# TYPE pgrel_migration_lock_timeout_retries gauge"
    echo "pgrel_migration_lock_timeout_retries $retries"
    if [ "$1" = success ]; then
      echo "# TYPE pgrel_migration_last_success_timestamp_seconds gauge"
      echo "pgrel_migration_last_success_timestamp_seconds $(date +%s)"
    fi
  } > "$status/metrics.prom"
}

# Runs "$@" until it succeeds, fails for another reason than a lock timeout, or runs out of attempts.
with_retries() {
  what="$1"; shift
  attempt=1
  delay="$first_delay"
  while :; do
    if "$@" > "$work/out" 2>&1; then cat "$work/out"; return 0; fi
    cat "$work/out" >&2
    if ! grep -q '55P03' "$work/out"; then
      report failure "migration \${MIGRATION_NAME:-} failed in $what: $(grep -m1 'ERROR' "$work/out" | sed 's/^psql:[^ ]* //')"
      return 1
    fi
    if [ "$attempt" -ge "$attempts" ]; then
      report failure "migration \${MIGRATION_NAME:-} gave up on $what after $attempt lock timeouts (55P03): something holds a conflicting lock"
      return 1
    fi
    echo "lock timeout (55P03) in $what, attempt $attempt of $attempts: retrying in \${delay}s" >&2
    retries=$((retries + 1))
    attempt=$((attempt + 1))
    sleep "$delay"
    delay=$((delay * 2))
    [ "$delay" -le "$max_delay" ] || delay="$max_delay"
  done
}

if [ "\${MIGRATION_MODE:-files}" = command ]; then
  with_retries "the migration command" "$@" || exit 1
  report success "migration \${MIGRATION_NAME:-} succeeded ($retries lock-timeout retries)"
  exit 0
fi

psql_ -c "CREATE TABLE IF NOT EXISTS $table (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" || { report failure "migration \${MIGRATION_NAME:-} could not create its history table $table"; exit 1; }
while read -r mode file; do
  [ -n "$file" ] || continue
  sum=$(sha256sum "$dir/$file" | cut -d' ' -f1)
  known=$(psql_ -A -t -c "SELECT checksum FROM $table WHERE name = '$file'") || { report failure "migration \${MIGRATION_NAME:-} could not read $table"; exit 1; }
  if [ -n "$known" ]; then
    if [ "$known" != "$sum" ]; then
      echo "$file was applied with other contents (checksum $known, now $sum)" >&2
      report failure "migration \${MIGRATION_NAME:-}: $file was applied with other contents; write a new migration instead of editing an applied one"
      exit 1
    fi
    echo "$file: already applied"
    continue
  fi
  record="INSERT INTO $table (name, checksum) VALUES ('$file', '$sum')"
  if [ "$mode" = tx ]; then
    with_retries "$file" psql_ --single-transaction -f "$dir/$file" -c "$record" || exit 1
  else
    with_retries "$file" psql_ -f "$dir/$file" || exit 1
    psql_ -c "$record" || { report failure "migration \${MIGRATION_NAME:-} applied $file but could not record it"; exit 1; }
  fi
  echo "$file: applied"
  applied=$((applied + 1))
done < "$dir/plan"
report success "migration \${MIGRATION_NAME:-} applied $applied file(s) ($retries lock-timeout retries)"
exit 0`;
