#!/bin/sh
# Entrypoint of localhost/todo-base/postgres. It honours the environment contract of the official
# postgres image (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_INITDB_ARGS, PGDATA):
# on an empty PGDATA it runs initdb with password authentication for every TCP client and
# listens on all addresses; then it execs the server, so postgres is PID 1 and gets the stop
# signal itself. It runs as the image's uid 999 and uses only shell built-ins and PostgreSQL's
# own programs, because the image has no coreutils.
set -eu

# `docker run IMAGE -c fsync=off` means: the server, with those options
if [ "${1#-}" != "$1" ]; then
    set -- postgres "$@"
fi

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_USER:=postgres}"
    : "${POSTGRES_DB:=$POSTGRES_USER}"
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
        echo "docker-entrypoint.sh: POSTGRES_PASSWORD must be set to initialise $PGDATA" >&2
        exit 1
    fi
    case "$POSTGRES_USER$POSTGRES_DB" in
    *'"'*)
        echo 'docker-entrypoint.sh: POSTGRES_USER and POSTGRES_DB must not contain a double quote' >&2
        exit 1
        ;;
    esac
    # the password reaches initdb through a pipe, never a file or the process list
    # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of options
    printf '%s\n' "$POSTGRES_PASSWORD" | initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" \
        --pwfile=/dev/stdin --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 \
        ${POSTGRES_INITDB_ARGS:-}
    # this image ships PostgreSQL without its optional LLVM, so JIT is off by configuration
    printf "listen_addresses = '*'\njit = off\n" >> "$PGDATA/postgresql.conf"
    printf 'host all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
    if [ "$POSTGRES_DB" != postgres ]; then
        printf 'CREATE DATABASE "%s"\n' "$POSTGRES_DB" | postgres --single -D "$PGDATA" postgres >/dev/null
    fi
fi

exec "$@"
