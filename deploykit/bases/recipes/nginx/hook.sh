# mmdebstrap hook for localhost/todo-base/nginx-unprivileged: lay Debian's nginx out the way
# nginxinc/nginx-unprivileged does (uid 101, port 8080, pid and temp files in /tmp, logs to
# the container's stdout/stderr). Unlike that image, /etc/nginx stays owned by root: uid 101
# can write nothing but /tmp, so a running server cannot rewrite its own configuration.
# Called as: sh hook.sh ROOTFS, with MMDEBSTRAP_HOOK naming the step.
set -eu
root=$1
recipe=$(dirname "$0")
[ "$MMDEBSTRAP_HOOK" = customize ] || exit 0

echo 'nginx:x:101:101:nginx:/nonexistent:/usr/sbin/nologin' >> "$root/etc/passwd"
echo 'nginx:x:101:' >> "$root/etc/group"

cp "$recipe/nginx.conf" "$root/etc/nginx/nginx.conf"
cp "$recipe/default.conf" "$root/etc/nginx/conf.d/default.conf"
ln -sf /dev/stdout "$root/var/log/nginx/access.log"
ln -sf /dev/stderr "$root/var/log/nginx/error.log"
