# mmdebstrap hook for localhost/todo-base/python:3.13-distroless, the stand-in for
# gcr.io/distroless/python3-debian13. distroless does not install packages: it unpacks the data
# of a fixed list of Debian 13 packages (its static, base, cc and python3 package lists) with no
# dependency resolution and no maintainer scripts, then adds a few generated files. This hook
# does the same with the packages the recipe's --include names: every other package apt fetched
# (their dependencies: dpkg, perl, debconf, ...) is dropped, so there is no shell, no package
# manager and no dpkg database, as in the official image.
# Called as: sh hook.sh ROOTFS at mmdebstrap's extract step (the only one the variant runs).
set -eu
root=$1
archives="$root/var/cache/apt/archives"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/debs" "$work/certs"

wanted=",$(printf '%s' "$MMDEBSTRAP_INCLUDE" | tr -d ' '),"
for deb in "$archives"/*.deb; do
    name=$(dpkg-deb --field "$deb" Package)
    case "$wanted" in *",$name,"*) cp "$deb" "$work/debs/" ;; esac
done

# Unpack into a fresh tree, then make it the root filesystem, leaving alone the mount points
# mmdebstrap made (dev, proc, sys; it unmounts them itself). Its later steps only tidy apt's
# own files, which are kept for it (a few kB: apt's configuration and empty cache directories).
tree="$work/tree"
mkdir "$tree"
for deb in "$work"/debs/*.deb; do
    case "$(basename "$deb")" in
    # like distroless, only the generated bundle and the licence of ca-certificates
    ca-certificates_*) dpkg-deb --extract "$deb" "$work/certs" ;;
    *) dpkg-deb --extract "$deb" "$tree" ;;
    esac
done
# what scanners read in distroless images: one dpkg status entry per package, no dpkg
mkdir -p "$tree/var/lib/dpkg/status.d"
for deb in "$work"/debs/*.deb; do
    name=$(dpkg-deb --field "$deb" Package)
    dpkg-deb --field "$deb" > "$tree/var/lib/dpkg/status.d/$name"
done
mv "$root/etc/apt" "$work/apt"
for entry in "$root"/* "$root"/.[!.]*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    case "${entry#"$root"/}" in dev | proc | sys) continue ;; esac
    mountpoint -q "$entry" || rm -rf --one-file-system "$entry"
done
for entry in "$tree"/*; do
    case "${entry#"$tree"/}" in dev | proc | sys) continue ;; esac
    mv "$entry" "$root/"
done
mv "$work/apt" "$root/etc/apt"
mkdir -p "$archives/partial" "$root/var/lib/apt/lists/partial"
mkdir -p "$root/etc/ssl/certs" "$root/usr/share/doc/ca-certificates"
cat "$work"/certs/usr/share/ca-certificates/*/*.crt > "$root/etc/ssl/certs/ca-certificates.crt"
cp "$work/certs/usr/share/doc/ca-certificates/copyright" "$root/usr/share/doc/ca-certificates/"

# distroless' accounts (root, nobody, nonroot 65532) and their homes, /tmp, name lookup
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' \
    'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' > "$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' 'nonroot:x:65532:' > "$root/etc/group"
install -d -m 0700 "$root/root"
install -d -m 0700 -o 65532 -g 65532 "$root/home/nonroot"
install -d -m 1777 "$root/tmp"
printf '%s\n' 'passwd: files' 'group: files' 'shadow: files' 'hosts: files dns' \
    'networks: files' 'protocols: files' 'services: files' 'ethers: files' 'rpc: files' > "$root/etc/nsswitch.conf"
# python and python3 point at Debian's python3.13, and the loader cache lets ctypes find libraries
ln -sf python3.13 "$root/usr/bin/python3"
ln -sf python3.13 "$root/usr/bin/python"
chroot "$root" /usr/sbin/ldconfig
