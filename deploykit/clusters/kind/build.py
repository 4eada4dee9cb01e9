"""The Go programs a kind cluster needs here, compiled through the Go module proxy and cached
under ~/.cache keyed by version and Go version (Kubernetes, CoreDNS and pause: kubebuild.py).

- kind itself (`go install sigs.k8s.io/kind@KIND_VERSION`);
- crictl (kind's `load` asks the node's CRI about images through it; Debian ships none);
- etcd (kubeadm's etcd static pod), through the etcdbin wrapper module;
- the local-path provisioner (kind's default StorageClass);
- kube-network-policies (the NetworkPolicy agent kindnetd embeds), with the nftables `queue`
  statement compiled as the xtables NFQUEUE target (see netpol_binary);
- todo-kindnet, this project's stand-in for kindnetd (whose module the proxy does not serve).
"""

import hashlib
import shutil
import time
from pathlib import Path

from deploykit.clusters.kind.kubebuild import HERE, cache_key, go, go_build, go_env, go_version
from deploykit.clusters.kind.sourceedits import edit_exactly_once
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run
from deploykit.tools import golang

KIND_VERSION = "v0.33.0"
# kind KIND_VERSION's default node image (pkg/apis/config/defaults/image.go): used where it can be pulled
KIND_NODE_IMAGE = "kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5"
CRICTL_VERSION = "v1.34.0"
ETCD_VERSION = "v3.6.5"  # kubeadm v1.34's DefaultEtcdVersion (3.6.5-0)
LOCAL_PATH_VERSION = "v0.0.30"  # the newest the module proxy serves (kind v0.33 ships v0.0.34)
NETPOL_VERSION = "v0.8.0"
NFTABLES_VERSION = "v0.3.0"  # github.com/google/nftables, as kube-network-policies NETPOL_VERSION requires
ETCD_SOURCE = HERE / "etcdbin"
KINDNET_SOURCE = HERE / "kindnetbin"
QUEUE_OVERLAY = Path(__file__).resolve().parent / "nft_queue_xt.go"
REPLACE_SET = Path(__file__).resolve().parent / "netpol_replace_set.go"
# syncNFTablesRules' edits (see netpol_replace_set.go): each `old` must occur exactly once.
SYNC_IN_PLACE = (
    ("\tnft.AddTable(table)\n\tnft.DelTable(table)\n\tnft.AddTable(table)\n",
     "\tnft.AddTable(table)\n\tnft.FlushTable(table)\n"),
    ("nft.AddSet(v4Set, elementsV4)", "replaceSet(nft, v4Set, elementsV4)"),
    ("nft.AddSet(v6Set, elementsV6)", "replaceSet(nft, v6Set, elementsV6)"),
)


def _install(package: str, version: str, name: str, *build_flags: str) -> Path:
    """`go install package@version` into a cache directory keyed by version and Go version."""
    directory = cache_dir(name, f"{version}-{go_version()}")
    out = directory / Path(package).name
    if not out.exists():
        logger.info(f"compiling {package}@{version} ...")
        started = time.monotonic()
        run([go(), "install", "-trimpath", "-ldflags", "-s -w", *build_flags, f"{package}@{version}"],
            env={**go_env(), "GOBIN": str(directory)}, timeout=3600)
        logger.info(f"{name} {version} built in {time.monotonic() - started:.0f} s -> {out}")
    return out


def kind_binary() -> Path:
    return _install("sigs.k8s.io/kind", KIND_VERSION, "kind")


def crictl_binary() -> Path:
    return _install("sigs.k8s.io/cri-tools/cmd/crictl", CRICTL_VERSION, "crictl")


def local_path_binary() -> Path:
    return _install("github.com/rancher/local-path-provisioner", LOCAL_PATH_VERSION, "local-path-provisioner")


def _module_dir(module: str, version: str) -> Path:
    return golang.module_dir(module, version, "building the kind node image")


def kind_module() -> Path:
    """kind's own source at KIND_VERSION (its base image's files/: entrypoint, systemd units,
    containerd config), from the module cache: the node image reuses them as they are."""
    return _module_dir("sigs.k8s.io/kind", KIND_VERSION)


def netpol_binary() -> Path:
    """kube-network-policies, whose NetworkPolicy verdicts go through NFQUEUE.

    It queues packets with the nftables `queue` statement, which needs the kernel's nft_queue
    (CONFIG_NFT_QUEUE); kernels built without it (this project's Firecracker VMs) answer ENOENT
    and the agent cannot install its rules. The same kernels have nft_compat and the xtables
    NFQUEUE target, which queue to the same nfnetlink_queue, so this build takes both modules
    from the module cache into a work directory, swaps google/nftables' expr/queue.go for
    nft_queue_xt.go (which encodes expr.Queue as that target) and builds against that copy.
    (`go build -overlay` refuses files under GOMODCACHE.) In the same copy, the agent re-syncs
    its rules in place rather than re-creating its table, which drops every queued packet
    (netpol_replace_set.go says why).
    """
    inputs = QUEUE_OVERLAY.read_bytes() + REPLACE_SET.read_bytes() + repr(SYNC_IN_PLACE).encode()
    digest = hashlib.sha256(inputs).hexdigest()[:12]
    directory = cache_dir("netpol", f"{NETPOL_VERSION}-{go_version()}-{digest}")
    out = directory / "netpol"
    if out.exists():
        return out
    source, nftables = directory / "kube-network-policies", directory / "nftables"
    for module, version, target in (("sigs.k8s.io/kube-network-policies", NETPOL_VERSION, source),
                                    ("github.com/google/nftables", NFTABLES_VERSION, nftables)):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(_module_dir(module, version), target)
        for path in (target, *target.rglob("*")):
            path.chmod(path.stat().st_mode | 0o200)
    shutil.copyfile(QUEUE_OVERLAY, nftables / "expr" / "queue.go")
    _sync_in_place(source / "pkg" / "networkpolicy")
    run([go(), "mod", "edit", "-replace", "github.com/google/nftables=../nftables"], cwd=source, env=go_env())
    go_build(source, out, f"kube-network-policies {NETPOL_VERSION} (NFQUEUE through nft_compat)", "./cmd")
    return out


def _sync_in_place(package: Path) -> None:
    controller = package / "controller.go"
    controller.write_text(edit_exactly_once(controller.read_text(), SYNC_IN_PLACE,
                                            f"kube-network-policies {NETPOL_VERSION} {controller.name}"))
    shutil.copyfile(REPLACE_SET, package / "zz_replace_set.go")


def etcd_binary() -> Path:
    out = cache_dir("etcd", cache_key("etcd", ETCD_VERSION, ETCD_SOURCE)) / "etcd"
    if not out.exists():
        go_build(ETCD_SOURCE, out, f"etcd {ETCD_VERSION}")
    return out


def kindnet_binary() -> Path:
    out = cache_dir("kindnet", cache_key("kindnet", "v0", KINDNET_SOURCE)) / "kindnet"
    if not out.exists():
        go_build(KINDNET_SOURCE, out, "todo-kindnet")
    return out
