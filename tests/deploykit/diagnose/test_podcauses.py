"""deploykit.diagnose.podcauses names why a pod fails, from the pod and its events as the API
returns them. The pods below were captured from a real cluster (Kubernetes 1.34) and cut down to
the fields the rules read; each rule is shown to name its cause, and to stay quiet on a healthy
pod."""

import copy

import pytest

from deploykit.diagnose import podcauses
from deploykit.testing.captured import (
    BAD_TAG,
    CRASH_LOOP,
    HEALTHY,
    HTTP_PROBE,
    NOT_READY,
    NOT_READY_EVENTS,
    pod,
    unhealthy_event,
)

OOM_KILLED = pod(
    "oomer", [{"name": "app", "resources": {"limits": {"memory": "20Mi"}, "requests": {"memory": "20Mi"}}}],
    [{"name": "app", "ready": False, "started": False, "restartCount": 3,
      "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2026-11-27T01:36:40Z"}},
      "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2026-11-27T01:36:09Z"}}}])


LIVENESS_RESTARTS = pod(
    "unlive", [{"name": "web", "livenessProbe": {**HTTP_PROBE, "httpGet": {"path": "/nope", "port": "http"}}}],
    [{"name": "web", "ready": False, "started": False, "restartCount": 4,
      "state": {"waiting": {"reason": "CrashLoopBackOff"}},
      "lastState": {"terminated": {"exitCode": 0, "reason": "Completed", "finishedAt": "2026-11-27T01:36:21Z"}}}])


LIVENESS_EVENTS = [unhealthy_event("unlive", "web", "Liveness probe failed: HTTP probe failed with statuscode: 404",
                                   count=10)]


UNSCHEDULABLE = pod(
    "unschedulable", [{"name": "app", "resources": {"requests": {"cpu": "64"}}}], [], phase="Pending",
    conditions=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                 "message": "0/1 nodes are available: 1 Insufficient cpu."}])


def titles(causes):
    return [cause.title for cause in causes]


def test_names_a_bad_image_tag_with_the_image_and_pull_policy():
    [cause] = podcauses.pod_causes(BAD_TAG, [])

    assert cause.title == "bad image tag"
    assert cause.container == "backend"
    assert "todo-list-hackathon/backend:0.0.0-missing" in cause.detail
    assert "(pull policy Never), ErrImageNeverPull: Container image" in cause.detail


@pytest.mark.parametrize("reason", ["ImagePullBackOff", "ErrImagePull", "InvalidImageName"])
def test_names_every_image_pull_failure_a_bad_image_tag(reason):
    failing = copy.deepcopy(BAD_TAG)
    failing["status"]["containerStatuses"][0]["state"]["waiting"] = {"reason": reason}

    assert titles(podcauses.pod_causes(failing, [])) == ["bad image tag"]


def test_names_a_failing_readiness_probe_with_its_request_and_count():
    [cause] = podcauses.pod_causes(NOT_READY, NOT_READY_EVENTS)

    assert cause.title == "readiness probe failing"
    assert "GET /missing on port http failed 15x" in cause.detail
    assert "statuscode: 404" in cause.detail


def test_ignores_past_readiness_failures_of_a_ready_container():
    """A cold start fails readiness a few times; once Ready, those events are history, not a cause."""
    events = [unhealthy_event(HEALTHY["metadata"]["name"], "backend",
                              "Readiness probe failed: HTTP probe failed with statuscode: 503", count=8)]

    assert podcauses.pod_causes(HEALTHY, events) == []


def test_names_a_crash_loop_with_its_exit_code_and_restarts():
    [cause] = podcauses.pod_causes(CRASH_LOOP, [])

    assert cause.title == "crash loop (CrashLoopBackOff)"
    assert "exits with code 3 (Error)" in cause.detail
    assert "restarted 3 time(s)" in cause.detail


def test_names_oom_kills_with_the_memory_limit():
    [cause] = podcauses.pod_causes(OOM_KILLED, [])

    assert cause.title == "out of memory (OOMKilled)"
    assert "memory limit (20Mi)" in cause.detail


def test_blames_the_liveness_probe_not_the_exit_code_for_probe_restarts():
    [cause] = podcauses.pod_causes(LIVENESS_RESTARTS, LIVENESS_EVENTS)

    assert cause.title == "liveness probe failing"
    assert "GET /nope on port http failed 10x" in cause.detail
    assert "restarted the container 4 time(s)" in cause.detail


def test_names_an_unschedulable_pod_with_the_schedulers_message():
    [cause] = podcauses.pod_causes(UNSCHEDULABLE, [])

    assert cause.title == "cannot be scheduled"
    assert "Insufficient cpu" in cause.detail


def test_names_a_container_configuration_error():
    failing = copy.deepcopy(BAD_TAG)
    failing["status"]["containerStatuses"][0]["state"]["waiting"] = {
        "reason": "CreateContainerConfigError", "message": 'secret "todo-db" not found'}

    [cause] = podcauses.pod_causes(failing, [])

    assert (cause.title, cause.detail) == ("container configuration error", 'secret "todo-db" not found')


def test_says_so_when_a_failing_pod_has_no_recognisable_cause():
    [cause] = podcauses.pod_causes(pod("quiet", [{"name": "app"}], [], phase="Pending"), [])

    assert cause.title == "not ready"


def test_finds_no_cause_in_a_healthy_pod():
    assert podcauses.pod_causes(HEALTHY, []) == []


def test_reads_probe_failures_of_the_pod_only_adding_up_their_counts():
    events = [*NOT_READY_EVENTS,
              unhealthy_event(NOT_READY["metadata"]["name"], "frontend",
                              "Readiness probe failed: Get \"http://10.0.0.1:8080/missing\": timeout", count=2,
                              last="2026-11-27T01:40:00Z"),
              *LIVENESS_EVENTS]

    [failure] = podcauses.probe_failures(NOT_READY, events)

    assert (failure.probe, failure.container, failure.count) == ("Readiness", "frontend", 17)
    assert "timeout" in failure.message  # the newest message


@pytest.mark.parametrize("probe, said", [
    ({"httpGet": {"path": "/readyz", "port": 8000}}, "GET /readyz on port 8000"),
    ({"tcpSocket": {"port": 5432}}, "TCP connect to port 5432"),
    ({"exec": {"command": ["pg_isready", "-U", "todo"]}}, "exec 'pg_isready -U todo'"),
], ids=["http", "tcp", "exec"])
def test_says_what_a_probe_requests(probe, said):
    assert podcauses.probe_request(probe) == said

