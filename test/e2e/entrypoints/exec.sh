#!/bin/sh
# Stands in for woblerr/pgbackrest's /entrypoint.sh: runs its arguments.
exec "$@"
