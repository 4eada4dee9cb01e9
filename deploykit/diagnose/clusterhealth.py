"""A cluster's health in a few lines: the API server's readiness checks, each node's condition and
load, the pods that are failing (with their causes named by deploykit.diagnose.podcauses) and the warning
events of the last hour by reason. `collect` reads the cluster; `summarise` only formats."""

import json
from collections import Counter
from dataclasses import dataclass

from kubernetes.utils.quantity import parse_quantity

from deploykit.diagnose import podcauses
from deploykit.tools.kubectl import Kubectl

PRESSURE_CONDITIONS = ("MemoryPressure", "DiskPressure", "PIDPressure")
GI = 1 << 30


@dataclass(frozen=True)
class Snapshot:
    readyz: str  # `/readyz?verbose` output: one "[+]check ok" or "[-]check failed" line each
    nodes: list[dict]
    pods: list[dict]
    warnings: list[dict]  # Warning events, all namespaces
    summaries: dict[str, dict]  # node name -> kubelet stats summary


def collect(kubectl: Kubectl) -> Snapshot:
    nodes = kubectl.get_json("nodes")["items"]
    return Snapshot(
        readyz=kubectl("get", "--raw", "/readyz?verbose", check=False).stdout,
        nodes=nodes,
        pods=kubectl.get_json("pods", "--all-namespaces")["items"],
        warnings=kubectl.get_json("events", "--all-namespaces", "--field-selector", "type=Warning")["items"],
        summaries={node["metadata"]["name"]: json.loads(kubectl(
            "get", "--raw", f"/api/v1/nodes/{node['metadata']['name']}/proxy/stats/summary").stdout)
            for node in nodes},
    )


def _node_line(node: dict, summary: dict | None) -> tuple[str, bool]:
    """("name: Ready, load ...", healthy) for one node."""
    conditions = {c["type"]: c["status"] for c in node.get("status", {}).get("conditions", [])}
    pressure = [kind for kind in PRESSURE_CONDITIONS if conditions.get(kind) == "True"]
    ready = conditions.get("Ready") == "True"
    line = f"{node['metadata']['name']}: {'Ready' if ready else 'NOT Ready'}"
    if summary:
        capacity = node["status"]["capacity"]
        cores = summary["node"]["cpu"].get("usageNanoCores", 0) / 1e9
        memory = summary["node"]["memory"].get("workingSetBytes", 0) / GI
        line += (f", CPU {cores:.2f} of {float(parse_quantity(capacity['cpu'])):g} cores in use, "
                 f"memory {memory:.1f} of {float(parse_quantity(capacity['memory'])) / GI:.1f} GiB")
    line += f", under {' and '.join(pressure)}" if pressure else ", no pressure"
    return line, ready and not pressure


def summarise(snapshot: Snapshot) -> str:
    failed_checks = [line[3:].strip() for line in snapshot.readyz.splitlines() if line.startswith("[-]")]
    api_ok = "readyz check passed" in snapshot.readyz and not failed_checks
    nodes = [_node_line(n, snapshot.summaries.get(n["metadata"]["name"])) for n in snapshot.nodes]
    failing = [p for p in snapshot.pods if podcauses.failing(p)]
    completed = sum(1 for p in snapshot.pods if p.get("status", {}).get("phase") == "Succeeded")
    warnings: Counter[str] = Counter()
    for event in snapshot.warnings:
        warnings[event.get("reason", "?")] += event.get("count") or 1
    problems = (not api_ok) + sum(not healthy for _, healthy in nodes) + len(failing)
    lines = [f"Cluster health: {'HEALTHY' if not problems else f'DEGRADED ({problems} problem(s))'}",
             "  API server: " + ("ready" if api_ok else f"NOT ready ({', '.join(failed_checks) or 'no answer'})"),
             f"  nodes: {sum(h for _, h in nodes)}/{len(nodes)} healthy"]
    lines += [f"    - {line}" for line, _ in nodes]
    lines.append(f"  pods: {len(snapshot.pods) - len(failing) - completed} serving, {completed} completed, "
                 f"{len(failing)} failing")
    for pod in failing:
        namespace = pod["metadata"].get("namespace", "")
        events = [e for e in snapshot.warnings if e.get("involvedObject", {}).get("namespace") == namespace]
        causes = podcauses.pod_causes(pod, events)
        lines.append(f"    - {namespace}/{causes[0]}" + (f" (+{len(causes) - 1} more)" if len(causes) > 1 else ""))
    top = ", ".join(f"{reason} {count}" for reason, count in warnings.most_common(5))
    lines.append(f"  warning events (last hour): {sum(warnings.values())}" + (f" ({top})" if top else ""))
    return "\n".join(lines) + "\n"
