"""deploykit.release.podstartup on made-up pods: startup judged strictly under its limit (at 1 s
resolution), a pod never Ready reported, the summary's figures, and a pod whose readiness needs
the database timed from the database being Ready."""

import datetime

from deploykit.foundation.limits import POD_READY_S
from deploykit.release import podstartup


def pod(name: str, created: str, ready: str | None, owner: str = "ReplicaSet") -> dict:
    conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": ready}] if ready else []
    labels = {"app.kubernetes.io/component": "backend"}
    return {"metadata": {"name": name, "creationTimestamp": created, "labels": labels,
                         "ownerReferences": [{"kind": owner}]},
            "status": {"conditions": conditions}}


def test_pod_startup_passes_under_the_bound_and_fails_at_it():
    quick = podstartup.PodStartup.of(pod("quick", "2026-01-01T00:00:00Z", "2026-01-01T00:00:09Z"))
    slow = podstartup.PodStartup.of(pod("slow", "2026-01-01T00:00:00Z", "2026-01-01T00:00:10Z"))

    assert podstartup.problems([quick], POD_READY_S) == []
    assert podstartup.problems([quick, slow], POD_READY_S) == [
        "pod slow (backend) took 10 s from creation to Ready, not under the 10 s bound"]


def test_pod_startup_reports_a_pod_that_never_became_ready_and_an_empty_measurement():
    never = podstartup.PodStartup.of(pod("never", "2026-01-01T00:00:00Z", None))

    assert podstartup.problems([never], POD_READY_S) == ["pod never (backend) is not Ready"]
    assert podstartup.problems([], POD_READY_S) == ["no pod to measure"]


def test_pod_startup_summary_gives_median_p95_and_max():
    startups = [podstartup.PodStartup.of(pod(f"p{s}", "2026-01-01T00:00:00Z", f"2026-01-01T00:00:0{s}Z"))
                for s in (2, 3, 4, 8)]
    summary = podstartup.summary(startups, POD_READY_S)

    assert (summary["median_s"], summary["p95_s"], summary["max_s"], summary["met_bound"]) == (3.5, 8.0, 8.0, True)


def test_a_pod_that_needs_the_database_is_timed_from_the_database_being_ready():
    def at(second):
        return datetime.datetime(2026, 1, 1, 0, 0, second, tzinfo=datetime.UTC)

    database = podstartup.PodStartup("db-0", "postgresql", at(0), at(9))
    backend = podstartup.PodStartup("backend-x", "backend", at(0), at(13))
    frontend = podstartup.PodStartup("frontend-x", "frontend", at(0), at(2))

    timed = podstartup.timed_from_dependencies([database, backend, frontend])

    assert [s.seconds for s in timed] == [9, 4, 2]

