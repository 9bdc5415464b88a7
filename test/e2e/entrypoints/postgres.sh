#!/bin/sh
# Stands in for docker-library/postgres' docker-entrypoint.sh (its behaviour, not its file): as root
# it owns PGDATA and the socket directory to postgres and re-runs itself as postgres; with an empty
# PGDATA it runs initdb with POSTGRES_USER/POSTGRES_PASSWORD, allows password logins from any host,
# creates POSTGRES_DB, runs /docker-entrypoint-initdb.d/*.sh and *.sql on a socket-only server,
# and finally execs its arguments (postgres ...).
set -e
if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  exec /usr/bin/setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "$1" = postgres ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA" 2>/dev/null || :
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
      echo "Error: Database is uninitialized and superuser password is not specified." >&2
      exit 1
    fi
    pwfile=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:-unused}" > "$pwfile"
    # shellcheck disable=SC2086
    initdb --username="${POSTGRES_USER:-postgres}" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 --no-sync $POSTGRES_INITDB_ARGS -D "$PGDATA"
    rm -f "$pwfile"
    # The image's postgresql.conf.sample is edited to listen on every address.
    printf "\nlisten_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
    printf '\nhost all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
    export PGUSER="${POSTGRES_USER:-postgres}" PGPASSWORD="$POSTGRES_PASSWORD" PGHOST=/var/run/postgresql
    db="${POSTGRES_DB:-$PGUSER}"
    if [ "$db" != postgres ]; then psql -v ON_ERROR_STOP=1 --dbname postgres -c "CREATE DATABASE \"$db\""; fi
    for f in /docker-entrypoint-initdb.d/*; do
      # shellcheck disable=SC1090
      case "$f" in
        *.sh) if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
        *.sql) echo "running $f"; psql -v ON_ERROR_STOP=1 --dbname "$db" -f "$f" ;;
        *.sql.gz) echo "running $f"; gunzip -c "$f" | psql -v ON_ERROR_STOP=1 --dbname "$db" ;;
        *) [ -e "$f" ] && echo "ignoring $f" ;;
      esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop
    unset PGPASSWORD
    echo 'PostgreSQL init process complete; ready for start up.'
  fi
fi
exec "$@"
