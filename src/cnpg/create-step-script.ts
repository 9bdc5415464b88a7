/** Where the restore test's files are mounted. */
export const DIR = '/opt/cnpg-restore-test';

/**
 * The label that marks a Cluster as a restore test's throwaway (value: the source cluster's name).
 * The create step replaces, and the cleanup deletes, only a Cluster that carries it.
 */
export const THROWAWAY_LABEL = 'pg-reliability.cdk8s.io/restore-test-of';

/**
 * Creates the throwaway cluster (owned by this pod), waits for it, and leaves a libpq service file
 * (`pg_service.conf`, service `restored`) and the passfile it names for the check container, with
 * an exit code. A throwaway left by an earlier run is deleted first (old data would pass the
 * checks); a Cluster of that name without our label is left alone and the run fails. Secret values
 * are never evaluated by the shell or printed. Always exits 0: cleanup and report must still run.
 */
export const CREATE_SCRIPT = `#!/bin/bash
set -uo pipefail
status="\${JOB_STATUS_DIR:-/run/job-status}"
echo 1 > "$status/create-exit-code"
rm -f "$status/pgpass" "$status/pg_service.conf"
fail() {
  echo "$1" >&2
  rm -f "$status/pgpass" "$status/pg_service.conf"
  exit 0
}

if ! existing=$(kubectl get cluster "$CLUSTER" --ignore-not-found -o 'jsonpath={.metadata.name}/{.metadata.labels.${THROWAWAY_LABEL.replace(/\./g, '\\.')}}'); then
  fail "could not look for an earlier cluster $CLUSTER"
fi
if [ -n "$existing" ]; then
  if [ "$existing" != "$CLUSTER/$THROWAWAY_OF" ]; then
    fail "cluster $CLUSTER exists but is not a throwaway of this restore test (no label ${THROWAWAY_LABEL}=$THROWAWAY_OF); refusing to replace it"
  fi
  echo "deleting cluster $CLUSTER left by an earlier run"
  kubectl delete cluster "$CLUSTER" --wait=true --timeout="\${TIMEOUT}s" || fail "could not delete cluster $CLUSTER left by an earlier run"
fi

owner=$(printf '[{"apiVersion":"v1","kind":"Pod","name":"%s","uid":"%s"}]' "$POD_NAME" "$POD_UID")
if ! jq --argjson owner "$owner" '.metadata.ownerReferences = $owner' ${DIR}/cluster.json | kubectl create -f -; then
  fail "could not create cluster $CLUSTER"
fi
if ! kubectl wait --for=condition=Ready "cluster/$CLUSTER" --timeout="\${TIMEOUT}s"; then
  echo "cluster $CLUSTER did not become ready within \${TIMEOUT}s:" >&2
  kubectl get cluster "$CLUSTER" -o jsonpath='{.status.phase}: {.status.phaseReason}{"\\\\n"}' >&2 || true
  fail "cluster $CLUSTER is not ready"
fi

# One read of the Secret; base64 has no ":", so empty (missing) keys keep their place.
secret_read_failed="could not read the connection of cluster $CLUSTER from Secret $CLUSTER-app"
encoded=$(kubectl get secret "$CLUSTER-app" -o 'jsonpath={.data.pgpass}:{.data.host}:{.data.port}:{.data.dbname}:{.data.user}') || fail "$secret_read_failed"
IFS=: read -r pgpass_b64 host_b64 port_b64 dbname_b64 user_b64 <<< "$encoded"
decode() {
  local value
  value=$(printf '%s' "$1" | base64 -d) || return 1
  # One line each: a line break would add settings to pg_service.conf.
  [ -n "$value" ] && [[ $value != *[$'\\n\\r']* ]] || return 1
  printf '%s' "$value"
}
if ! { pgpass=$(decode "$pgpass_b64") && host=$(decode "$host_b64") && port=$(decode "$port_b64") \\
  && dbname=$(decode "$dbname_b64") && user=$(decode "$user_b64"); }; then
  fail "$secret_read_failed (a key is missing, empty or has a line break)"
fi
( umask 077 && printf '%s\\n' "$pgpass" > "$status/pgpass" ) || fail "could not write $status/pgpass"
printf '[restored]\\nhost=%s\\nport=%s\\ndbname=%s\\nuser=%s\\npassfile=%s\\n' "$host" "$port" "$dbname" "$user" "$status/pgpass" \\
  > "$status/pg_service.conf" || fail "could not write $status/pg_service.conf"
echo 0 > "$status/create-exit-code"
exit 0
`;
