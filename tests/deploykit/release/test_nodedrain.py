"""deploykit.release.nodedrain on a made-up release: the worker holding every component is drained
of the release's serving pods only, inside the caller's measurement, and uncordoned after the
replacements are counted, even when the drain fails."""

import pytest

from deploykit.foundation.errors import ClusterOperationFailed, CommandFailed
from deploykit.release import nodedrain


def pod(name: str, node: str) -> dict:
    return {"metadata": {"name": name}, "spec": {"nodeName": node},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}}


BEFORE = {"backend": [pod("b1", "worker"), pod("b2", "worker2")],
          "frontend": [pod("f1", "worker2"), pod("f2", "worker3")]}
RESCHEDULED = {"backend": [pod("b1", "worker"), pod("b3", "worker")],
               "frontend": [pod("f3", "worker"), pod("f2", "worker3")]}


class FakeRelease:
    """Serves BEFORE until the drain's kubectl call, then `after`; records every kubectl call."""

    def __init__(self, after: dict, drain_fails: bool = False):
        self.pods, self.after, self.drain_fails, self.calls = BEFORE, after, drain_fails, []

    def kubectl(self, *argv, timeout=None):
        self.calls.append(argv[:2])
        if argv[0] == "drain":
            if self.drain_fails:
                raise CommandFailed(list(argv), 1, "", "Cannot evict pod: it would violate the disruption budget.")
            self.pods = self.after

    def components_selector(self, components):
        return f"app in ({','.join(components)})"

    def serving_pods(self, component):
        return self.pods[component]


def measure_recording(seen: list):
    def measure(act):
        seen.append("traffic starts")
        act()
        seen.append("traffic stops")
        return "the disruption"
    return measure


def test_the_worker_holding_every_component_is_drained_inside_the_measurement_and_uncordoned_after():
    release, seen = FakeRelease(after=RESCHEDULED), []

    drained = nodedrain.drain_under_traffic(release, measure_recording(seen), replicas=2)

    assert drained.node == "worker2"
    assert drained.disruption == "the disruption"
    assert drained.rescheduled == []
    assert seen == ["traffic starts", "traffic stops"]
    assert release.calls == [("drain", "worker2"), ("uncordon", "worker2")]


def test_a_pod_left_on_the_drained_node_is_a_finding():
    stuck = {"backend": [pod("b2", "worker2"), pod("b3", "worker")], "frontend": RESCHEDULED["frontend"]}

    drained = nodedrain.drain_under_traffic(FakeRelease(after=stuck), measure_recording([]), replicas=2)

    assert drained.rescheduled == ["backend: pod(s) ['b2'] should have been evicted from worker2 but still serve",
                                   "backend: pod(s) ['b2'] run on the drained (cordoned) node worker2"]


def test_a_failed_drain_is_named_and_the_node_still_takes_pods_again():
    release = FakeRelease(after=RESCHEDULED, drain_fails=True)

    with pytest.raises(ClusterOperationFailed, match="draining node worker2 .*disruption budget"):
        nodedrain.drain_under_traffic(release, measure_recording([]), replicas=2)
    assert release.calls[-1] == ("uncordon", "worker2")
