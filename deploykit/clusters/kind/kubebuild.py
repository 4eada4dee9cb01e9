"""Kubernetes itself, CoreDNS and pause for the kind node image built here, from upstream sources,
and the Go build every one of the node image's programs goes through.

Everything comes through the Go module proxy (Kubernetes, CoreDNS) or Debian (gcc for
pause); results are cached under ~/.cache keyed by component version and Go version,
so only the first run on a machine pays for the compile.
"""

import hashlib
import os
import shutil
import time
from pathlib import Path

from deploykit.foundation.errors import ToolMissing
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run
from deploykit.tools import golang

# The wrapper modules (kubebin, corednsbin, etcdbin, kindnetbin) sit beside the providers.
HERE = Path(__file__).resolve().parent.parent
KUBE_SOURCE = HERE / "kubebin"
COREDNS_SOURCE = HERE / "corednsbin"
KUBERNETES_VERSION = "v1.34.4"
COREDNS_VERSION = "v1.12.1"
PAUSE_VERSION = "3.10.1"  # build/pause/Makefile's TAG at KUBERNETES_VERSION, and kubeadm v1.34's


def go() -> str:
    """The go command: on PATH, or where the official tarball installs it (often not on PATH
    for non-login shells)."""
    return golang.go("building the kind node image")


def go_version() -> str:
    return golang.version(go())


def source_digest(directory: Path) -> str:
    """Hash of the wrapper module (main.go, go.mod, go.sum): a change rebuilds."""
    digest = hashlib.sha256()
    for name in ("main.go", "go.mod", "go.sum"):
        if (directory / name).exists():  # a stdlib-only module (kindnetbin) has no go.sum
            digest.update((directory / name).read_bytes())
    return digest.hexdigest()[:12]


def cache_key(component: str, version: str, directory: Path) -> str:
    return f"{component}-{version}-{go_version()}-{source_digest(directory)}"


def go_env() -> dict:
    """Static binaries, with the installed toolchain (a go.mod's toolchain line downloads none)."""
    return {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-modcacherw", "CGO_ENABLED": "0"}


def go_build(directory: Path, output: Path, what: str, package: str = ".", ldflags: str = "-s -w",
             tags: tuple[str, ...] = ()) -> None:
    """`go build` of package in directory to output, written whole or not at all."""
    logger.info(f"compiling {what} from source (cached after) ...")
    started = time.monotonic()
    partial = output.with_suffix(".part")
    run([go(), "build", "-trimpath", *(["-tags", ",".join(tags)] if tags else []), "-ldflags", ldflags,
         "-o", partial, package], cwd=directory, env=go_env(), timeout=4 * 3600)
    partial.rename(output)
    logger.info(f"{what} built in {time.monotonic() - started:.0f} s -> {output}")


def kube_binary() -> Path:
    """The multi-call `kube` binary (apiserver, controller-manager, scheduler, kubelet, proxy, kubectl)."""
    out = cache_dir("kube", cache_key("kube", KUBERNETES_VERSION, KUBE_SOURCE)) / "kube"
    if not out.exists():
        minor = KUBERNETES_VERSION.split(".")[1]
        version_vars = {
            "k8s.io/component-base/version.gitVersion": KUBERNETES_VERSION,
            "k8s.io/component-base/version.gitMajor": "1",
            "k8s.io/component-base/version.gitMinor": minor,
            "k8s.io/client-go/pkg/version.gitVersion": KUBERNETES_VERSION,
            "k8s.io/component-base/version.buildDate": "1970-01-01T00:00:00Z",
        }
        ldflags = "-s -w " + " ".join(f"-X {k}={v}" for k, v in version_vars.items())
        go_build(KUBE_SOURCE, out, f"Kubernetes {KUBERNETES_VERSION} (cold: minutes on 2 cores)", ldflags=ldflags,
                 tags=("providerless",))
    return out


def coredns_binary() -> Path:
    out = cache_dir("coredns", cache_key("coredns", COREDNS_VERSION, COREDNS_SOURCE)) / "coredns"
    if not out.exists():
        go_build(COREDNS_SOURCE, out, f"CoreDNS {COREDNS_VERSION}")
    return out


def pause_source() -> Path:
    """pause.c from the Kubernetes module the kube binary is built from (already in the module cache)."""
    modcache = run([go(), "env", "GOMODCACHE"]).stdout.strip()
    path = Path(modcache) / f"k8s.io/kubernetes@{KUBERNETES_VERSION}" / "build/pause/linux/pause.c"
    if not path.exists():
        run([go(), "mod", "download", f"k8s.io/kubernetes@{KUBERNETES_VERSION}"], cwd=KUBE_SOURCE,
            env={**os.environ, "GOFLAGS": "-modcacherw"}, timeout=900)
    return path


def pause_binary() -> Path:
    out = cache_dir("pause", PAUSE_VERSION) / "pause"
    if not out.exists():
        if not shutil.which("gcc"):
            raise ToolMissing("building the pause image needs gcc; apt-get install gcc libc6-dev")
        # Flags follow upstream build/pause/Makefile: a static, stripped binary.
        run(["gcc", "-Os", "-Wall", "-Werror", "-static", f"-DVERSION=v{PAUSE_VERSION}-todo",
             "-o", out, pause_source()])
        run(["strip", out])
    return out
