"""A disruption on one time axis, for the figures and the timeline picture: every request of the
load generator (seconds since it started), each serving pod's life (created, Ready, told to stop,
gone) from a watch, and moments the caller marks ("helm upgrade", "settled").

Recording.under_traffic wraps rollouts.under_traffic, the cluster layer's own scenario, so the
bench and the rollout tests measure the same thing; the cluster layer can call it too and pass the
recording to timeline.write_picture.

Clocks: pod moments and marks are this host's wall clock; the load generator counts from its own
start, which is placed on the wall clock by the container runtime's timestamp of its first log
line (the backend image runs Python unbuffered, so that line is written the moment it starts).
On a single-node cluster both are the same clock; elsewhere node clocks are assumed in sync.
"""

import datetime
import json
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from deploykit.clusters import workloads
from deploykit.foundation.constants import COMPONENT_LABEL, HELM_TEST_COMPONENT
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.release import podstartup, rollouts
from deploykit.release.helmrelease import Release
from deploykit.tools.kubectl import Kubectl

_WATCH_SECONDS = 900  # the API's own bound on a watch, so one nobody stops ends by itself
LOADGEN_PREFIX = "loadgen-"  # traffic.LoadGenerator names its pods so


def wall_time(stamp: str) -> float:
    """An RFC 3339 timestamp (Kubernetes' or a log line's, nanoseconds allowed) as epoch seconds."""
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


@dataclass
class PodLife:
    name: str
    component: str
    created: float  # wall clock (creationTimestamp, 1 s resolution)
    ready: float | None = None  # first seen Ready (the condition's time if it already was)
    stopping: float | None = None  # first seen with a deletionTimestamp: it stops taking traffic
    gone: float | None = None  # deleted from the API: its containers have exited


class PodWatch:
    """Serving pods (ReplicaSet and StatefulSet ones) of a label selector, watched through the API."""

    def __init__(self, kubectl: Kubectl, namespace: str, selector: str):
        query = f"watch=1&timeoutSeconds={_WATCH_SECONDS}&labelSelector={urllib.parse.quote(selector, safe='')}"
        self.argv = kubectl.argv("get", "--raw", f"/api/v1/namespaces/{namespace}/pods?{query}")
        self.lives: dict[str, PodLife] = {}
        self._process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None

    def observe(self, event: dict, now: float) -> None:
        """Update the pods' lives from one watch event seen at wall time now."""
        pod = event["object"]
        owners = {owner["kind"] for owner in pod["metadata"].get("ownerReferences", [])}
        if not owners & set(workloads.SERVING_OWNERS):  # hook, test and load generator pods never serve
            return
        startup = podstartup.PodStartup.of(pod)
        life = self.lives.setdefault(startup.pod, PodLife(startup.pod, startup.component, startup.created.timestamp()))
        if life.ready is None and startup.ready is not None:
            life.ready = startup.ready.timestamp() if event["type"] == "ADDED" else now
        if life.stopping is None and pod["metadata"].get("deletionTimestamp"):
            life.stopping = now
        if event["type"] == "DELETED":
            life.gone = now

    def _read(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.observe(json.loads(line), time.time())

    def __enter__(self) -> "PodWatch":
        self._process = process = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                   stdin=subprocess.DEVNULL, text=True)
        assert process.stdout is not None  # a pipe
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *_) -> None:
        assert self._process is not None and self._reader is not None, "__exit__ without __enter__"
        time.sleep(1)  # the last DELETED events trail the settle by a moment
        self._process.terminate()
        self._process.wait(timeout=10)
        self._reader.join(timeout=10)


def load_generator_started_at(kubectl: Kubectl, namespace: str) -> float:
    """Wall time of the running load generator's start, from the timestamp of its first log line."""
    test_pods = workloads.pods(kubectl, namespace, f"{COMPONENT_LABEL}={HELM_TEST_COMPONENT}")
    running = [p["metadata"]["name"] for p in test_pods
               if p["metadata"]["name"].startswith(LOADGEN_PREFIX) and p["status"].get("phase") == "Running"]
    if len(running) != 1:
        raise ClusterOperationFailed(f"expected one running load generator in {namespace}, found {running}")
    head = kubectl("-n", namespace, "logs", running[0], "--timestamps", "--limit-bytes=4096").stdout
    for line in head.splitlines():
        stamp, _, text = line.partition(" ")
        if text.startswith("{") and json.loads(text).get("event") == "start":
            return wall_time(stamp)
    raise ClusterOperationFailed(f"load generator {running[0]} logged no start line")


def split(results: list[dict], boundaries: list[float]) -> list[list[dict]]:
    """Results by the phase they were sent in: before boundaries[0], between each pair, after the
    last one (seconds on the load generator's clock; sent = answered - latency)."""
    phases: list[list[dict]] = [[] for _ in range(len(boundaries) + 1)]
    for result in results:
        sent = result["t"] - result["latency_ms"] / 1000
        phases[sum(sent >= boundary for boundary in boundaries)].append(result)
    return phases


@dataclass
class Recording:
    what: str
    traffic_started_at: float | None = None  # wall clock of the load generator's t = 0
    results: list[dict] = field(default_factory=list)
    rate: float = 0.0
    pods: list[PodLife] = field(default_factory=list)
    marks: list[tuple[float, str]] = field(default_factory=list)  # (wall clock, label)

    def mark(self, label: str) -> None:
        self.marks.append((time.time(), label))

    @property
    def traffic_start(self) -> float:
        """traffic_started_at, which under_traffic sets before anything happens on the traffic's axis."""
        if self.traffic_started_at is None:
            raise ValueError(f"the {self.what} recording has no traffic start yet")
        return self.traffic_started_at

    def seconds(self, wall: float) -> float:
        """A wall time on the load generator's axis."""
        return wall - self.traffic_start

    def phases(self) -> list[list[dict]]:
        """The requests before the first mark, between marks, and after the last."""
        return split(self.results, [self.seconds(at) for at, _ in self.marks])

    def under_traffic(self, release: Release, act: Callable[[], None], watched: str = "backend") -> rollouts.Disruption:
        """rollouts.under_traffic(release, self.what, act), recorded."""
        def placed_act():
            self.traffic_started_at = load_generator_started_at(release.kubectl, release.namespace)
            act()

        with PodWatch(release.kubectl, release.namespace, release.selector()) as watch:
            disruption = rollouts.under_traffic(release, self.what, placed_act, watched)
        self.results, self.rate = disruption.traffic.results, disruption.traffic.rate
        self.pods = list(watch.lives.values())
        return disruption
