"""Where a release's pods run, from each pod's spec.nodeName: whether every component's replicas
are on nodes of their own (what a topology spread over kubernetes.io/hostname asks for, so one
node's loss leaves each component serving), which node a drain can take away from all of them
at once, and whether the pods it evicted were replaced elsewhere."""

from deploykit.clusters import workloads
from deploykit.foundation.errors import ClusterOperationFailed


def node_of(pod: dict) -> str:
    """The node a pod was scheduled to ("" while it is pending)."""
    return pod.get("spec", {}).get("nodeName", "")


def where(pods_by_component: dict[str, list[dict]]) -> dict[str, dict[str, str]]:
    """{component: {pod: node}}, for messages that show the whole placement."""
    return {component: {p["metadata"]["name"]: node_of(p) or "(pending)" for p in pods}
            for component, pods in pods_by_component.items()}


def spread_findings(pods_by_component: dict[str, list[dict]], replicas: int) -> list[str]:
    """What keeps each component from running `replicas` pods on as many different nodes; []
    when every component does."""
    found = []
    for component, pods in pods_by_component.items():
        nodes, placed = [node_of(p) for p in pods], where({component: pods})[component]
        if len(pods) != replicas:
            found.append(f"{component} runs {len(pods)} serving pod(s), expected {replicas}: {placed}")
        elif "" in nodes or len(set(nodes)) != replicas:
            found.append(f"{component}'s {replicas} replicas share a node (or one is pending): {placed}")
    return found


def node_holding_every_component(pods_by_component: dict[str, list[dict]]) -> str:
    """A node holding a pod of every component, so draining it disrupts them all at once (the
    first such node by name, so the choice is repeatable)."""
    holders = [{node_of(p) for p in pods} - {""} for pods in pods_by_component.values()]
    common = sorted(set.intersection(*holders)) if holders else []
    if not common:
        raise ClusterOperationFailed(f"no node holds a pod of every component ({', '.join(pods_by_component)}): "
                                     f"{where(pods_by_component)}")
    return common[0]


def pods_on(pods_by_component: dict[str, list[dict]], node: str) -> dict[str, list[str]]:
    """{component: names of its pods on node}."""
    return {component: [p["metadata"]["name"] for p in pods if node_of(p) == node]
            for component, pods in pods_by_component.items()}


def rescheduled_findings(evicted: dict[str, list[str]], pods_by_component: dict[str, list[dict]], drained: str,
                         replicas: int) -> list[str]:
    """What shows a drain's evicted pods were not all replaced: an evicted pod still serving, a
    pod on the drained node, or a component short of `replicas` Ready pods; [] when none."""
    found = []
    for component, pods in pods_by_component.items():
        names = {p["metadata"]["name"] for p in pods}
        if still := sorted(names & set(evicted.get(component, []))):
            found.append(f"{component}: pod(s) {still} should have been evicted from {drained} but still serve")
        if on_drained := [p["metadata"]["name"] for p in pods if node_of(p) == drained]:
            found.append(f"{component}: pod(s) {on_drained} run on the drained (cordoned) node {drained}")
        ready = [p["metadata"]["name"] for p in pods if workloads.is_ready(p)]
        if len(ready) != replicas:
            found.append(f"{component} has {len(ready)} Ready pod(s) after the drain, expected {replicas}: "
                         f"{where({component: pods})[component]}")
    return found
