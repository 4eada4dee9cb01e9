"""kind's nodes on an engine that cannot grant every capability.

kind starts each node with `docker run --privileged` and runs commands in it with
`docker exec --privileged`. A privileged container gets every capability Docker 20.10 knows,
whether or not the engine holds it; where dockerd itself runs without one (these machines' bounding
set lacks CAP_SYS_RESOURCE), runc answers "unable to apply caps: operation not permitted" and no
node starts. kind has no option for this, so kind is handed a `docker` shim on its PATH that turns
--privileged into what a node needs of it: every capability the engine has, no seccomp or AppArmor
profile, /proc unmasked, every device allowed in the device cgroup, and /dev/kmsg (the kubelet's
OOM watcher). The node image's prelude (PRELUDE) then remounts the cgroup hierarchies read-write,
which Docker mounts read-only in an unprivileged container. Everything else kind passes is unchanged.
"""

import os
import shutil
from pathlib import Path

from deploykit.foundation.paths import cache_dir

CAP_NAMES = {24: "SYS_RESOURCE"}

SHIM = r"""#!/bin/sh
# kind's docker, with --privileged replaced (deploykit/clusters/kind/unprivileged.py)
real=@DOCKER@
case "$1" in
run|create)
  verb=$1; shift
  first=1
  for arg in "$@"; do
    if [ $first = 1 ]; then set --; first=0; fi
    if [ "$arg" = --privileged ]; then
      set -- "$@" --cap-add=ALL @DROPS@ --security-opt=systempaths=unconfined \
        '--device-cgroup-rule=a *:* rwm' --device=/dev/kmsg
    else
      set -- "$@" "$arg"
    fi
  done
  exec "$real" "$verb" "$@" ;;
exec)
  shift
  first=1
  for arg in "$@"; do
    if [ $first = 1 ]; then set --; first=0; fi
    [ "$arg" = --privileged ] || set -- "$@" "$arg"
  done
  exec "$real" exec "$@" ;;
esac
exec "$real" "$@"
"""

# runs before kind's entrypoint in the node image; a no-op where the cgroups are writable
PRELUDE = r"""#!/bin/sh
# Docker mounts cgroups read-only in an unprivileged container; systemd and the kubelet write them.
for d in /sys/fs/cgroup/*/; do
  if awk -v m="${d%/}" '$2 == m && $4 ~ /^ro/ {found=1} END {exit !found}' /proc/self/mounts; then
    mount -o remount,bind,rw "$d" || echo "todo-kind prelude: cannot remount $d read-write" >&2
  fi
done
exec "$@"
"""


def missing_capabilities() -> list[int]:
    """Capabilities absent from this process's bounding set (the engine's, when it runs here)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapBnd:"):
            bounding = int(line.split()[1], 16)
            last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
            return [cap for cap in range(last + 1) if not bounding >> cap & 1]
    return []


def docker_shim_dir() -> Path | None:
    """A directory to put first on kind's PATH, or None when --privileged works as it is."""
    missing = missing_capabilities()
    if not missing:
        return None
    unknown = [cap for cap in missing if cap not in CAP_NAMES]
    if unknown:
        raise RuntimeError(f"the engine lacks capabilities {unknown}: name them in CAP_NAMES")
    drops = " ".join(f"--cap-drop={CAP_NAMES[cap]}" for cap in missing)
    directory = cache_dir("kind", "docker-shim")
    shim = directory / "docker"
    text = SHIM.replace("@DOCKER@", shutil.which("docker") or "/usr/bin/docker").replace("@DROPS@", drops)
    if not shim.exists() or shim.read_text() != text:
        shim.write_text(text)
        os.chmod(shim, 0o755)
    return directory
