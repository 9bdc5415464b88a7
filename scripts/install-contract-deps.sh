#!/usr/bin/env bash
# Installs the real programs the contract tests drive (Debian bookworm packages). Run as root.
# Installing starts nothing: the tests start and stop every server themselves.
set -euo pipefail

# One list for this script and .ci/run: postgres/initdb/psql/pgbench, pgbouncer, pgbackrest, patroni +
# etcd, promtool, postgres_exporter, pgpool, shellcheck, setpriv (run servers as postgres),
# openssl (test certificates), curl (the job reporter).
mapfile -t PACKAGES < "$(dirname "$0")/contract-deps.txt"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-contract-deps.sh: run as root (apt-get install)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
# The packages' own services are not used; make sure none was left running by a postinst.
for service in postgresql pgbouncer etcd prometheus prometheus-postgres-exporter pgpool2; do
  service "$service" stop >/dev/null 2>&1 || true
done
echo "contract test programs installed: ${PACKAGES[*]}"
