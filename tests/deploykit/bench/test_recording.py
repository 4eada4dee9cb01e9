"""A recording puts the load generator's requests and the pods' lives on one time axis: requests
split into phases by when they were sent, pods followed through a watch's events."""

import pytest

from deploykit.bench.recording import PodWatch, Recording, split, wall_time
from deploykit.tools.kubectl import Kubectl

CREATED = "2026-11-27T01:00:00Z"


def pod_event(kind: str, name: str = "web-7f9-abcde", owner: str = "ReplicaSet", ready_at: str | None = None,
              deleting: bool = False) -> dict:
    conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_at}] if ready_at else []
    metadata = {"name": name, "creationTimestamp": CREATED, "labels": {"app.kubernetes.io/component": "backend"},
                "ownerReferences": [{"kind": owner, "name": "web-7f9"}]}
    if deleting:
        metadata["deletionTimestamp"] = "2026-11-27T01:01:00Z"
    return {"type": kind, "object": {"metadata": metadata, "status": {"conditions": conditions}}}


@pytest.fixture
def watch() -> PodWatch:
    return PodWatch(Kubectl(binary="kubectl"), "bench-abc123", "app.kubernetes.io/instance=bench")


def test_wall_time_reads_kubernetes_and_log_timestamps():
    assert wall_time("2026-11-27T01:00:00Z") == wall_time("2026-11-27T01:00:00.000000000Z")
    assert wall_time("2026-11-27T01:00:01.250000001Z") - wall_time(CREATED) == pytest.approx(1.25)


def test_split_assigns_each_request_to_the_phase_it_was_sent_in():
    answered_late = {"t": 10.4, "latency_ms": 900}  # sent at 9.5, before the boundary at 10
    results = [{"t": 1.0, "latency_ms": 5}, answered_late, {"t": 10.2, "latency_ms": 5}, {"t": 31, "latency_ms": 5}]
    before, during, after = split(results, [10.0, 30.0])
    assert before == results[:2] and during == [results[2]] and after == [results[3]]


def test_recording_phases_use_its_marks_on_the_generators_clock():
    recording = Recording("rollback", traffic_started_at=1000.0, results=[{"t": 4.0, "latency_ms": 0},
                                                                           {"t": 6.0, "latency_ms": 0}])
    recording.marks = [(1005.0, "helm rollback"), (1010.0, "settled")]
    assert [len(phase) for phase in recording.phases()] == [1, 1, 0]


def test_watch_url_encodes_the_selector(watch):
    assert watch.argv[-1].endswith("labelSelector=app.kubernetes.io%2Finstance%3Dbench")


def test_pod_already_ready_when_first_seen_keeps_its_conditions_time(watch):
    watch.observe(pod_event("ADDED", ready_at="2026-11-27T01:00:04Z"), now=wall_time(CREATED) + 100)
    assert watch.lives["web-7f9-abcde"].ready == wall_time(CREATED) + 4


def test_pod_that_becomes_ready_under_watch_gets_the_moment_it_was_seen(watch):
    watch.observe(pod_event("ADDED"), now=10.0)
    watch.observe(pod_event("MODIFIED", ready_at="2026-11-27T01:00:04Z"), now=12.5)
    watch.observe(pod_event("MODIFIED", ready_at="2026-11-27T01:00:04Z"), now=13.0)
    assert watch.lives["web-7f9-abcde"].ready == 12.5


def test_pod_told_to_stop_and_then_deleted(watch):
    watch.observe(pod_event("MODIFIED", deleting=True), now=20.0)
    watch.observe(pod_event("MODIFIED", deleting=True), now=21.0)
    watch.observe(pod_event("DELETED", deleting=True), now=26.0)
    life = watch.lives["web-7f9-abcde"]
    assert (life.stopping, life.gone) == (20.0, 26.0)


def test_hook_and_test_pods_are_not_followed(watch):
    watch.observe(pod_event("ADDED", name="bench-migrate-x1", owner="Job"), now=1.0)
    assert watch.lives == {}
