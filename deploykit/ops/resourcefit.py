"""Suggest resource requests and limits from what containers use now: the kubelet's stats summary
(`kubectl get --raw /api/v1/nodes/<node>/proxy/stats/summary`, no metrics-server needed) against
the requests and limits the pods declare.

The rule, so a person can redo it by hand:
  CPU request    = 1.5 x observed, rounded up to 5m, at least 10m
  CPU limit      = 4 x that request, at least 100m (a burst at start-up must not be throttled)
  memory request = 1.25 x working set, rounded up to 8Mi, at least 16Mi
  memory limit   = 2 x working set, rounded up to 16Mi, at least 32Mi (an OOM kill needs real growth)
A limit is never suggested below the one declared: an idle sample cannot justify less headroom.
One sample of an idle release is a floor, not a measurement: measure under load before lowering.
"""

import json
import math
from dataclasses import dataclass, field

from kubernetes.utils.quantity import parse_quantity

from deploykit.foundation.constants import COMPONENT_LABEL
from deploykit.tools.kubectl import Kubectl

MI = 1 << 20


@dataclass(frozen=True)
class Usage:
    cpu_millicores: float
    memory_bytes: int


@dataclass(frozen=True)
class Fit:
    workload: str  # the chart component, or the pod's name outside a chart
    container: str
    usage: Usage
    requests: dict  # as declared, e.g. {"cpu": "50m", "memory": "96Mi"}
    limits: dict
    suggested_requests: dict = field(default_factory=dict)
    suggested_limits: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def _round_up(value: float, step: float) -> float:
    return math.ceil(value / step) * step


def _millicores(value: float) -> str:
    return f"{int(value)}m"


def _mebibytes(value: float) -> str:
    return f"{int(value // MI)}Mi"


def _declared(limits: dict, kind: str, scale: float) -> float:
    return float(parse_quantity(limits[kind])) * scale if kind in limits else 0


def suggest(usage: Usage, limits: dict | None = None) -> tuple[dict, dict]:
    """(requests, limits) by the rule in the module docstring; `limits` are the declared ones."""
    limits = limits or {}
    cpu_request = max(_round_up(usage.cpu_millicores * 1.5, 5), 10)
    memory_request = max(_round_up(usage.memory_bytes * 1.25, 8 * MI), 16 * MI)
    cpu_limit = max(cpu_request * 4, 100, _declared(limits, "cpu", 1000))
    memory_limit = max(_round_up(usage.memory_bytes * 2, 16 * MI), 32 * MI, memory_request,
                       _declared(limits, "memory", 1))
    return ({"cpu": _millicores(cpu_request), "memory": _mebibytes(memory_request)},
            {"cpu": _millicores(cpu_limit), "memory": _mebibytes(memory_limit)})


def notes(usage: Usage, requests: dict, limits: dict) -> list[str]:
    """What is risky or wasteful in the declared resources, given the usage."""
    found = [f"no {kind} set" for kind, values in (("requests", requests), ("limits", limits)) if not values]
    if "memory" in limits and usage.memory_bytes > 0.8 * float(parse_quantity(limits["memory"])):
        found.append(f"memory in use ({_mebibytes(usage.memory_bytes)}) is over 80% of the limit "
                     f"({limits['memory']}): an OOM kill is close")
    if "cpu" in requests and usage.cpu_millicores > 1000 * float(parse_quantity(requests["cpu"])):
        found.append(f"CPU in use ({_millicores(usage.cpu_millicores)}) is above the request ({requests['cpu']}): "
                     "the scheduler under-counts this pod")
    if "memory" in requests and float(parse_quantity(requests["memory"])) > 4 * max(usage.memory_bytes, 16 * MI):
        found.append(f"the memory request ({requests['memory']}) is over 4x what is in use: it reserves idle memory")
    return found


def usage_by_container(summaries: list[dict]) -> dict[tuple[str, str, str], Usage]:
    """(namespace, pod, container) -> Usage, from the nodes' stats summaries."""
    usage = {}
    for summary in summaries:
        for pod in summary.get("pods", []):
            ref = pod["podRef"]
            for container in pod.get("containers", []):
                cpu = (container.get("cpu") or {}).get("usageNanoCores") or 0
                memory = (container.get("memory") or {}).get("workingSetBytes") or 0
                usage[(ref["namespace"], ref["name"], container["name"])] = Usage(cpu / 1e6, memory)
    return usage


def fits(pods: list[dict], summaries: list[dict]) -> list[Fit]:
    """One Fit per workload and container with usage, the busiest pod of a workload counting."""
    usage = usage_by_container(summaries)
    busiest: dict[tuple[str, str], Fit] = {}
    for pod in pods:
        meta = pod["metadata"]
        workload = meta.get("labels", {}).get(COMPONENT_LABEL) or meta["name"]
        for container in pod["spec"]["containers"]:
            used = usage.get((meta.get("namespace", ""), meta["name"], container["name"]))
            if used is None:
                continue  # not running: nothing observed
            key = (workload, container["name"])
            if key in busiest and busiest[key].usage.memory_bytes >= used.memory_bytes:
                continue
            resources = container.get("resources") or {}
            requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
            suggested = suggest(used, limits)
            busiest[key] = Fit(workload, container["name"], used, requests, limits, *suggested,
                               notes(used, requests, limits))
    return list(busiest.values())


def collect(kubectl: Kubectl, namespace: str, selector: str | None) -> tuple[list[dict], list[dict]]:
    """The pods, and the stats summaries of the nodes they run on."""
    pods = kubectl.get_json("pods", "-n", namespace, *(["-l", selector] if selector else []))["items"]
    nodes = sorted({p["spec"]["nodeName"] for p in pods if p["spec"].get("nodeName")})
    summaries = [json.loads(kubectl("get", "--raw", f"/api/v1/nodes/{node}/proxy/stats/summary").stdout)
                 for node in nodes]
    return pods, summaries


def render(found: list[Fit]) -> str:
    if not found:
        return "No running containers to measure.\n"
    lines = [f"{'workload/container':32} {'CPU used':>9} {'request':>8} {'limit':>7}  "
             f"{'memory used':>11} {'request':>8} {'limit':>7}"]
    for fit in found:
        lines.append(f"{fit.workload + '/' + fit.container:32} {_millicores(fit.usage.cpu_millicores):>9} "
                     f"{fit.requests.get('cpu', '-'):>8} {fit.limits.get('cpu', '-'):>7}  "
                     f"{_mebibytes(fit.usage.memory_bytes):>11} {fit.requests.get('memory', '-'):>8} "
                     f"{fit.limits.get('memory', '-'):>7}")
        lines += [f"  ! {note}" for note in fit.notes]
    lines += ["", "Suggested (one idle sample; measure under load before lowering), as chart values:"]
    for fit in found:
        lines += [f"{fit.workload}:", "  resources:",
                  f"    requests: {{cpu: {fit.suggested_requests['cpu']}, memory: {fit.suggested_requests['memory']}}}",
                  f"    limits: {{cpu: {fit.suggested_limits['cpu']}, memory: {fit.suggested_limits['memory']}}}"]
    return "\n".join(lines) + "\n"
