"""The machine a bench run measured: cores, memory, kernel, the Docker, Kubernetes and helm
versions, which base images the project images were built on, and how busy the machine was.

Figures from different machines only compare through ratios; this is what tells readers how far
apart two machines are, and the load average says how much of the run other work shared.
"""

import json
import os
import platform
from pathlib import Path

import docker

from deploykit.bases import catalog as bases
from deploykit.tools.helm import Helm
from deploykit.tools.kubectl import Kubectl


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages."""
    return [round(value, 2) for value in os.getloadavg()]


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    meminfo = Path("/proc/meminfo")
    for line in meminfo.read_text().splitlines() if meminfo.is_file() else ():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024**2, 1)
    return 0.0


def bases_used(client: docker.DockerClient) -> dict:
    """Per base role: the image used, and whether it is the official image or the air-gapped
    equivalent built from Debian packages (deploykit.bases.catalog decides; this only reports its choice)."""
    used = {}
    for role, base in bases.BASES.items():
        name = bases.ensure_base(client, base)
        if name == base.official:
            kind = "official"
        elif base.faithful:
            kind = f"faithful air-gapped stand-in of {base.official}"
        else:
            kind = f"air-gapped equivalent of {base.official} (not faithful: online sizes are estimates)"
        used[role] = {"image": name, "kind": kind}
    return used


def host(client: docker.DockerClient) -> dict:
    """What needs no cluster: hardware, kernel, Docker, helm, the bases."""
    engine = client.version()
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "kernel": platform.release(),
        "os": platform.freedesktop_os_release().get("PRETTY_NAME", platform.system()),
        "python": platform.python_version(),
        "docker": f"{engine['Version']} (API {engine['ApiVersion']})",
        "helm": Helm().version(),
        "bases": bases_used(client),
    }


def cluster(kubectl: Kubectl, description: str) -> dict:
    """The Kubernetes server, and the first node's kubelet and container runtime."""
    nodes = kubectl.get_json("nodes")["items"]
    node = nodes[0]["status"]["nodeInfo"]
    return {
        "provider": description,
        "kubernetes": json.loads(kubectl("get", "--raw", "/version").stdout)["gitVersion"],
        "kubelet": node["kubeletVersion"],
        "container_runtime": node["containerRuntimeVersion"],
        "nodes": len(nodes),
    }
