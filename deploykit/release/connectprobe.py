"""Connection attempts from pods: for each source, one short-lived pod (connectprobe_pod.py run as
a scriptpod) in the source's namespace and wearing its labels, which tries every destination in
one run, so a whole matrix of cells costs one pod per source; and the attempts, read from its
output. The pods run side by side and are deleted once read."""

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from deploykit.clusters import workloads
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.release import scriptpod
from deploykit.tools.kubectl import Kubectl

SCRIPT = Path(__file__).with_name("connectprobe_pod.py")
CONNECT_TIMEOUT_S = 2
ATTEMPTS = 3
# Scheduling, the container's start and every destination's attempts (tried at once), with room.
FINISH_TIMEOUT_S = 90
# Which probe a pod is (its source), so a person can find the probes in a namespace.
PROBE_LABEL = "deploykit/connection-probe"
# A readiness probe that never passes (nothing listens on port 1): a probe wearing a component's
# labels is selected by that component's Service, and must never be sent its traffic.
NEVER_READY = {"tcpSocket": {"port": 1}, "periodSeconds": 3600}


@dataclass(frozen=True)
class ProbePod:
    source: str
    namespace: str
    labels: tuple[tuple[str, str], ...]  # (key, value) pairs, so the probe stays hashable


@dataclass(frozen=True)
class Attempt:
    source: str
    destination: str
    address: str
    connected: bool
    error: str | None
    attempts: int

    def describe(self) -> str:
        if self.connected:
            return f"it connected to {self.address}"
        return f"it could not connect to {self.address} in {self.attempts} attempt(s): {self.error}"


def documents(name: str, probe: ProbePod, image: str, pull_policy: str, destinations: dict[str, str]) -> list[dict]:
    """The ConfigMap and the never-ready pod of one probe trying every destination (name -> host:port)."""
    env = {"DESTINATIONS": " ".join(f"{destination}={address}" for destination, address in destinations.items()),
           "TIMEOUT_S": CONNECT_TIMEOUT_S, "ATTEMPTS": ATTEMPTS}
    labels = {**dict(probe.labels), PROBE_LABEL: probe.source}
    config_map, pod = scriptpod.documents(name, image, pull_policy, SCRIPT, env, labels)
    pod["spec"]["containers"][0]["readinessProbe"] = NEVER_READY
    return [config_map, pod]


def parse(source: str, output: str, destinations: dict[str, str]) -> dict[tuple[str, str], Attempt]:
    """{(source, destination): Attempt} from a probe's output; ValueError when a destination
    has no line (the probe died before trying it)."""
    attempts = {}
    for line in output.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            attempts[(source, record["destination"])] = Attempt(source=source, **record)
    missing = [destination for destination in destinations if (source, destination) not in attempts]
    if missing:
        raise ValueError(f"the probe from {source} reported nothing for {missing}")
    return attempts


def run(kubectl: Kubectl, probes: list[ProbePod], image: str, pull_policy: str,
        destinations: dict[str, str]) -> dict[tuple[str, str], Attempt]:
    """Every probe's attempts at every destination, {(source, destination): Attempt}."""
    names = {probe: f"probe-{probe.source}-{uuid.uuid4().hex[:5]}" for probe in probes}

    def phase(probe: ProbePod) -> str:
        return workloads.pod(kubectl, probe.namespace, names[probe])["status"].get("phase", "")

    try:
        for probe, name in names.items():
            kubectl.apply(yaml.safe_dump_all(documents(name, probe, image, pull_policy, destinations), sort_keys=False),
                          probe.namespace)
        attempts: dict[tuple[str, str], Attempt] = {}
        for probe, name in names.items():
            workloads.wait_for(lambda probe=probe: phase(probe) in ("Succeeded", "Failed"),
                               f"connection probe {name} in {probe.namespace} finishing", FINISH_TIMEOUT_S)
            output = kubectl("-n", probe.namespace, "logs", name, timeout=60).stdout
            try:
                if phase(probe) != "Succeeded":
                    raise ValueError(f"the probe from {probe.source} ended with phase {phase(probe)}")
                attempts |= parse(probe.source, output, destinations)
            except ValueError as failed:
                raise ClusterOperationFailed(f"connection probe {name} in {probe.namespace}: {failed}; "
                                             f"its output:\n{output[-2000:]}") from None
        return attempts
    finally:
        for probe, name in names.items():
            kubectl("-n", probe.namespace, "delete", "pod,configmap", name, "--wait=false", check=False)
