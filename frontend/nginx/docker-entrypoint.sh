#!/bin/sh
# Renders the nginx config for this container's backend, then replaces itself with nginx (PID 1 stays
# nginx, so the image's STOPSIGNAL SIGQUIT reaches it directly and it shuts down gracefully).
#
#   BACKEND_URL             where /api/ goes: scheme://host[:port], e.g. http://myrelease-backend:8000.
#                           Unset: nginx starts anyway and /api/ answers 502 with a JSON message.
#   SHUTDOWN_GRACE_SECONDS  how long open requests may run after the stop signal (nginx's
#                           worker_shutdown_timeout), in whole seconds. Default 15.
#
# Needs nothing but a POSIX sh and sed (no mkdir, no env): minimal Debian and Alpine bases alike.
set -eu

TEMPLATE=/etc/nginx/app/nginx.conf.template
# /tmp is the only writable place (a tmpfs or emptyDir under a read-only root filesystem).
CONF=/tmp/nginx.conf

fail() {
    echo "docker-entrypoint: $*" >&2
    exit 64
}

drain="${SHUTDOWN_GRACE_SECONDS:-15}"
case "$drain" in
    "" | *[!0-9]*) fail "SHUTDOWN_GRACE_SECONDS must be whole seconds, got '$drain'" ;;
esac

# A trailing slash would give proxy_pass a URI part, and nginx would then strip /api/ from requests.
backend_url="${BACKEND_URL:-}"
backend_url="${backend_url%/}"

if [ -z "$backend_url" ]; then
    echo "docker-entrypoint: BACKEND_URL is not set; /api/ will answer 502" >&2
    sed -e 's|proxy_pass __BACKEND_URL__;|return 502;|' -e "s|__SHUTDOWN_GRACE_SECONDS__|$drain|" "$TEMPLATE" >"$CONF"
else
    case "$backend_url" in
        http://* | https://*) ;;
        *) fail "BACKEND_URL must start with http:// or https://, got '$BACKEND_URL'" ;;
    esac
    # Host, port and IPv6 brackets only: no path, and nothing that sed or nginx would read as syntax.
    case "${backend_url#*://}" in
        "" | *[!][A-Za-z0-9.:_-]*) fail "BACKEND_URL must be scheme://host[:port] with no path, got '$BACKEND_URL'" ;;
    esac
    sed -e "s|__BACKEND_URL__|$backend_url|" -e "s|__SHUTDOWN_GRACE_SECONDS__|$drain|" "$TEMPLATE" >"$CONF"
fi

# -e stderr: before it reads the config, nginx would otherwise try to open its built-in error log
# path, which is read-only here.
exec nginx -e stderr -c "$CONF" -g 'daemon off;'
