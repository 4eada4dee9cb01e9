"""Zero-downtime, measured: do something to a release (helm upgrade or rollback, delete or evict a
pod) under steady in-cluster traffic, wait until every Deployment has settled (all pods new and
available, none still shutting down), and report what the traffic saw, how low the ready
endpoints went, and how fast the new pods started. `make bench` runs the same scenarios."""

import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from deploykit.clusters import workloads
from deploykit.foundation.constants import COMPONENTS
from deploykit.release import capacity, podstartup, traffic
from deploykit.release.helmrelease import Release
from deploykit.release.traffic import MIN_REQUESTS

SETTLE_TIMEOUT_S = 300
# Traffic keeps flowing this long after the settle, so a late failure (a connection to a pod that
# just exited) is still seen.
TAIL_S = 3


@dataclass
class Disruption:
    what: str
    traffic: traffic.TrafficReport
    endpoints: capacity.EndpointWatch
    new_pods: list[podstartup.PodStartup]
    #: The other Services watched (a drain takes pods of every component away at once).
    more_endpoints: list[capacity.EndpointWatch] = field(default_factory=list)
    #: Requests the traffic had to send for its verdict to count.
    min_requests: int = MIN_REQUESTS

    @property
    def watches(self) -> list[capacity.EndpointWatch]:
        return [self.endpoints, *self.more_endpoints]

    def problems(self, expect_versions: tuple = (), capacity_floor: int = 0) -> list[str]:
        """Failed requests (or too few sent), a watched Service below capacity_floor ready
        endpoints, or an expected version that never answered."""
        return (self.traffic.problems(expect_versions, self.min_requests)
                + [problem for watch in self.watches for problem in watch.problems(capacity_floor)])

    def figures(self) -> dict:
        return {**self.traffic.figures(), "lowest_ready_endpoints": self.endpoints.lowest_ready,
                "lowest_ready_endpoints_by_service": {w.service: w.lowest_ready for w in self.watches},
                "new_pods": {s.pod: s.seconds for s in self.new_pods}}

    def summary(self) -> str:
        lowest = ", ".join(f"{w.service} {w.lowest_ready}" for w in self.watches)
        return f"{self.what}: {self.traffic.summary()}; lowest ready endpoints {lowest}"


def retag(client, image: str, tag: str) -> str:
    """The same image under another tag: an upgrade to it changes the pods' image reference, which
    is all a rollout to a new version needs, without a build."""
    repository = image.rpartition(":")[0]
    client.images.get(image).tag(repository, tag)
    return f"{repository}:{tag}"


def replicas(release: Release, component: str) -> int:
    deployment = release.kubectl.get_json("deployment", release.object_name("deployment", component),
                                          "-n", release.namespace)
    return deployment["spec"].get("replicas", 1)


def wait_settled(release: Release) -> None:
    for component in COMPONENTS:
        workloads.wait_rollout_settled(release.kubectl, release.namespace, release.object_name("deployment", component),
                                       release.selector(component), SETTLE_TIMEOUT_S)


def under_traffic(release: Release, what: str, act: Callable[[], None], watched: str = "backend",
                  also_watched: tuple[str, ...] = (), min_requests: int = MIN_REQUESTS,
                  through: Callable[[], AbstractContextManager] | None = None) -> Disruption:
    """Run act() under steady traffic, watching the ready endpoints of `watched`'s Service (and
    of also_watched components'); the pods of `watched` that act() created are measured from
    creation to Ready. The traffic lasts at least long enough to send min_requests at its rate,
    and comes from inside the cluster unless `through` gives another source (the edge's, from
    outside)."""
    before = {p["metadata"]["name"] for p in workloads.pods(release.kubectl, release.namespace,
                                                            release.selector(watched))}
    services = [release.object_name("service", component) for component in (watched, *also_watched)]
    source = through or (lambda: traffic.steady_traffic(release))
    with source() as generator, contextlib.ExitStack() as watching:
        endpoints, *more_endpoints = [watching.enter_context(capacity.watching_endpoints(
            release.kubectl, release.namespace, service)) for service in services]
        started = time.monotonic()
        act()
        wait_settled(release)
        time.sleep(max(TAIL_S, started + min_requests / generator.rate - time.monotonic()))
    new_pods = [podstartup.PodStartup.of(p) for p in release.serving_pods(watched)
                if p["metadata"]["name"] not in before]
    return Disruption(what, generator.report, endpoints, new_pods, more_endpoints, min_requests)
