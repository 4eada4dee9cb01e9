# mmdebstrap hook for localhost/todo-base/postgres: the official image's fixed uid/gid 999 for
# the postgres account, its writable directories, and its entrypoint.
# Called as: sh hook.sh ROOTFS, with MMDEBSTRAP_HOOK naming the step.
set -eu
root=$1
recipe=$(dirname "$0")
case "$MMDEBSTRAP_HOOK" in
essential)
    # before postgresql-common's postinst, which would otherwise pick the next free system uid
    echo 'postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/sh' >> "$root/etc/passwd"
    echo 'postgres:x:999:' >> "$root/etc/group"
    ;;
customize)
    install -m 0755 "$recipe/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
    mkdir -p "$root/var/lib/postgresql" "$root/run/postgresql"
    chown 999:999 "$root/var/lib/postgresql" "$root/run/postgresql"
    chmod 0755 "$root/var/lib/postgresql"
    chmod 3777 "$root/run/postgresql"
    ;;
esac
