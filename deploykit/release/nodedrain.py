"""A node drain under traffic, as the production tests run it in the cluster and through the
edge: the worker holding a pod of every component is drained of the release's serving pods only
(the stand-ins beside them, the external database, a load generator or the edge's controller,
would measure the test bench, not the chart), and stays cordoned until their replacements are
counted, so they cannot have come back to it."""

from collections.abc import Callable
from dataclasses import dataclass

from deploykit.clusters import workloads
from deploykit.foundation.constants import COMPONENTS
from deploykit.release import placement
from deploykit.release.helmrelease import Release
from deploykit.release.rollouts import Disruption

# Each budget lets one pod go at a time; an evicted pod's grace period is 35 s (values-production).
DRAIN_TIMEOUT_S = 180


@dataclass
class Drained:
    node: str
    disruption: Disruption
    #: placement.rescheduled_findings: an evicted pod still serving, or a component short of replicas.
    rescheduled: list[str]


def serving_pods_by_component(release: Release) -> dict[str, list[dict]]:
    return {component: release.serving_pods(component) for component in COMPONENTS}


def drain_under_traffic(release: Release, measure: Callable[[Callable[[], None]], Disruption], replicas: int,
                        timeout_s: float = DRAIN_TIMEOUT_S) -> Drained:
    """measure(act) runs act (the drain) under the caller's traffic and returns what it saw."""
    before = serving_pods_by_component(release)
    node = placement.node_holding_every_component(before)
    evicted = placement.pods_on(before, node)

    def drain() -> None:
        workloads.drain(release.kubectl, node, timeout_s, pod_selector=release.components_selector(COMPONENTS))

    with workloads.uncordoned_afterwards(release.kubectl, node):
        disruption = measure(drain)
        after = serving_pods_by_component(release)
    return Drained(node, disruption, placement.rescheduled_findings(evicted, after, node, replicas))
