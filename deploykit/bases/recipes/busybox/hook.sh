# mmdebstrap hook for localhost/todo-base/busybox: Debian's static busybox alone, with its applets
# linked the way busybox:1.36 has them (/bin/sh, /bin/wget, ...) and the usual two accounts.
# Called as: sh hook.sh ROOTFS at mmdebstrap's extract step (the variant runs no other).
set -eu
root=$1

ln -s usr/bin "$root/bin"
for applet in $("$root/usr/bin/busybox" --list); do
    [ -e "$root/usr/bin/$applet" ] || ln -s busybox "$root/usr/bin/$applet"
done
mkdir -p "$root/tmp"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
