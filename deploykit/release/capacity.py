"""How many ready endpoints a Service had, at every change, while something happened to it.

Zero failed requests alone can hide a rollout that dropped all capacity: kube-proxy falls back to
terminating-but-serving endpoints when no ready one is left, so a single replica replaced with
maxUnavailable 1 still answers during its preStop pause, and fails only once a new pod starts
slower than that pause. `maxUnavailable: 0` promises more: the ready count never drops below the
replica count. A watch on the Service's EndpointSlices sees every change, however short.
"""

import contextlib
import itertools
import json
import subprocess
import threading
import time
from collections.abc import Iterable

from deploykit.clusters import workloads
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.tools.kubectl import Kubectl

# The API's own watch: one JSON event per line, starting with the slices as they are. Bounded, so
# a watch nobody stops ends by itself.
_WATCH_SECONDS = 900


class EndpointWatch:
    def __init__(self, kubectl: Kubectl, namespace: str, service: str):
        self.service = service
        self.argv = kubectl.argv(
            "get", "--raw", f"/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices?watch=1"
            f"&timeoutSeconds={_WATCH_SECONDS}&labelSelector=kubernetes.io%2Fservice-name%3D{service}")
        self.timeline: list[tuple[float, int]] = []  # (monotonic time, ready endpoints after the event)
        self._slices: dict[str, set] = {}
        self._process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None

    def _read(self, lines: Iterable[str]) -> None:
        for line in lines:
            event = json.loads(line)
            endpoint_slice = event["object"]
            self._slices[endpoint_slice["metadata"]["name"]] = (
                set() if event["type"] == "DELETED" else workloads.ready_pods_of_slice(endpoint_slice))
            self.timeline.append((time.monotonic(), sum(len(pods) for pods in self._slices.values())))

    def start(self) -> None:
        self._process = process = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                   stdin=subprocess.DEVNULL, text=True)
        assert process.stdout is not None  # a pipe
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 30
        while not self.timeline and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        if not self.timeline:
            self.stop()
            raise ClusterOperationFailed(f"no EndpointSlice of Service {self.service} could be watched")

    def stop(self) -> None:
        assert self._process is not None and self._reader is not None, "stop() before start()"
        self._process.terminate()
        self._process.wait(timeout=10)
        self._reader.join(timeout=10)

    @property
    def lowest_ready(self) -> int:
        return min(count for _, count in self.timeline)

    def seconds_below(self, floor: int) -> float:
        """Total time the ready count spent under floor (until the last event)."""
        return sum(later - at for (at, count), (later, _) in itertools.pairwise(self.timeline) if count < floor)

    def problems(self, floor: int) -> list[str]:
        if self.lowest_ready >= floor:
            return []
        return [f"Service {self.service} had {self.lowest_ready} ready endpoint(s), below {floor}, for "
                f"{self.seconds_below(floor):.1f} s: capacity dropped (requests survived only on "
                "terminating pods, if at all)"]


@contextlib.contextmanager
def watching_endpoints(kubectl: Kubectl, namespace: str, service: str):
    watch = EndpointWatch(kubectl, namespace, service)
    watch.start()
    try:
        yield watch
    finally:
        watch.stop()
