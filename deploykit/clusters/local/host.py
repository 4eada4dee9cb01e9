"""Host networking for the local cluster: kernel switches, the pod bridge, and the iptables
chains the cluster adds (ours, kube-proxy's, the kubelet's, CNI's), removed again on stop."""

import shutil
from pathlib import Path

from deploykit.clusters.local.layout import BRIDGE, NODE_IP, NODE_POD_CIDR, POD_CIDR, POD_NETWORK_NAME
from deploykit.foundation.run import run

# Chains created by this cluster: ours (TODO-), kube-proxy's and the kubelet's (KUBE-), CNI's (CNI-).
CLUSTER_CHAIN_PREFIXES = ("TODO-", "KUBE-", "CNI-")
FORWARD_CHAIN = "TODO-FORWARD"


def prepare_kernel() -> None:
    if not Path("/proc/sys/net/bridge").exists() and shutil.which("modprobe"):
        run(["modprobe", "br_netfilter"], check=False)
    for key in ("net/bridge/bridge-nf-call-iptables", "net/ipv4/ip_forward"):
        path = Path("/proc/sys") / key
        if path.exists():
            path.write_text("1")
    # Pod volumes with mount propagation need a shared root mount.
    run(["mount", "--make-rshared", "/"], check=False)


def create_bridge() -> None:
    """The pod bridge with the node address on it, before the kubelet needs that address."""
    if run(["ip", "link", "show", BRIDGE], check=False).succeeded:
        return
    run(["ip", "link", "add", BRIDGE, "type", "bridge"])
    prefix = NODE_POD_CIDR.split("/")[1]
    run(["ip", "addr", "add", f"{NODE_IP}/{prefix}", "dev", BRIDGE])
    run(["ip", "link", "set", BRIDGE, "up"])


def delete_bridge() -> None:
    run(["ip", "link", "delete", BRIDGE], check=False)
    # host-local IPAM keeps one file per allocated pod address; none are in use any more.
    shutil.rmtree(Path("/var/lib/cni/networks") / POD_NETWORK_NAME, ignore_errors=True)


def delete_pod_netns() -> None:
    """Network namespaces left by pods that were killed rather than stopped: those holding an
    address of our pod network."""
    prefix = NODE_POD_CIDR.rsplit(".", 1)[0] + "."
    for netns in Path("/run/netns").glob("cni-*"):
        addresses = run(["ip", "-n", netns.name, "-4", "-o", "addr"], check=False).stdout
        if f"inet {prefix}" in addresses:
            run(["ip", "netns", "delete", netns.name], check=False)


def allow_pod_forwarding() -> None:
    """Docker sets the FORWARD policy to DROP; accept pod traffic in a chain of ours instead of
    changing the host's policy."""
    if run(["iptables", "-w", "-n", "-L", FORWARD_CHAIN], check=False).succeeded:
        return
    run(["iptables", "-w", "-N", FORWARD_CHAIN])
    for direction in ("-s", "-d"):
        run(["iptables", "-w", "-A", FORWARD_CHAIN, direction, POD_CIDR, "-j", "ACCEPT"])
    run(["iptables", "-w", "-I", "FORWARD", "1", "-j", FORWARD_CHAIN])


def _is_cluster_chain(name: str) -> bool:
    return name.startswith(CLUSTER_CHAIN_PREFIXES)


def strip_cluster_rules(saved: str) -> str:
    """iptables-save text without the cluster's chains and without rules that jump to them."""
    kept = []
    for line in saved.splitlines():
        if line.startswith(":") and _is_cluster_chain(line[1:].split()[0]):
            continue
        if line.startswith("-A "):
            words = line.split()
            targets = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-j", "-g")]
            if _is_cluster_chain(words[1]) or any(_is_cluster_chain(t) for t in targets):
                continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def remove_cluster_chains() -> None:
    for save, restore in (("iptables-save", "iptables-restore"), ("ip6tables-save", "ip6tables-restore")):
        if not shutil.which(save):
            continue
        saved = run([save], check=False).stdout
        if any(f":{p}" in saved for p in CLUSTER_CHAIN_PREFIXES):
            run([restore, "-w"], input=strip_cluster_rules(saved))


def cluster_chains() -> list[str]:
    """Names of cluster chains still present (for `make down` to prove it left none)."""
    names = []
    for save in ("iptables-save", "ip6tables-save"):
        if shutil.which(save):
            names += [line[1:].split()[0] for line in run([save], check=False).stdout.splitlines()
                      if line.startswith(":") and _is_cluster_chain(line[1:].split()[0])]
    return names


def mounts_under(*roots: Path) -> list[str]:
    """Mount points below the given directories, deepest first (the order to unmount them)."""
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4].replace("\\040", " ")
        if any(point == str(r) or point.startswith(f"{r}/") for r in roots):
            points.append(point)
    return sorted(set(points), key=len, reverse=True)


def unmount_all(*roots: Path) -> None:
    for point in mounts_under(*roots):
        run(["umount", "-l", point], check=False)
