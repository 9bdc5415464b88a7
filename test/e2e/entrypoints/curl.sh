#!/bin/sh
# Stands in for curlimages/curl's entrypoint: options go to curl, anything else runs as given.
if [ "${1#-}" != "$1" ]; then set -- curl "$@"; fi
exec "$@"
