"""The cluster layer's verdicts, computed on made-up observations, so each rule is shown to fail
when it should: zero-downtime traffic (failures, gaps, versions), ready-endpoint capacity, and
pod startup against its limit (strictly under it, at 1 s resolution)."""

import datetime

from deploykit.clusters import workloads
from deploykit.foundation.limits import POD_READY_S
from deploykit.release import podstartup
from deploykit.release.capacity import EndpointWatch
from deploykit.release.traffic import TrafficReport
from deploykit.tools.kubectl import Kubectl


def answer(t: float, status: int = 200, version: str | None = "1.0", error: str | None = None) -> dict:
    return {"t": t, "status": status, "latency_ms": 10.0, "version": version, "error": error, "target": "x"}


def steady(seconds: int, version: str = "1.0", start: float = 0.0) -> list[dict]:
    return [answer(start + i / 10, version=version) for i in range(seconds * 10)]


def test_traffic_report_finds_no_problem_in_steady_answers_from_both_versions():
    report = TrafficReport(steady(10, "1.0") + steady(10, "2.0", start=10.0), rate=10)

    assert report.problems(expect_versions=("1.0", "2.0")) == []
    assert report.versions == {"1.0": 100, "2.0": 100}
    assert report.figures()["error_rate"] == 0.0


def test_traffic_report_counts_a_refused_connection_and_a_502_as_failures():
    results = steady(20) + [answer(20.05, status=0, error="ConnectError: refused"), answer(20.1, status=502)]
    report = TrafficReport(results, rate=10)

    assert report.figures()["failed"] == 2
    assert "2 of 202 requests failed" in report.problems()[0]


def test_traffic_report_measures_the_longest_gap_between_successes():
    results = steady(5) + [answer(7.5)]  # the last steady answer comes at 4.9 s

    assert round(TrafficReport(results, rate=10).longest_gap_s, 2) == 2.6


def test_traffic_report_flags_a_version_that_never_answered():
    problems = TrafficReport(steady(20, "1.0"), rate=10).problems(expect_versions=("1.0", "2.0"))

    assert problems == ["version(s) ['2.0'] never answered (seen: {'1.0': 200}): the change did not happen "
                        "while the traffic was watched"]


def test_traffic_report_refuses_to_judge_too_few_requests():
    assert "only 5 requests" in TrafficReport(steady(1)[:5], rate=10).problems()[0]


def endpoint_watch(timeline: list[tuple[float, int]]) -> EndpointWatch:
    watch = EndpointWatch(Kubectl(binary="kubectl"), "ns", "backend")  # never started: no cluster here
    watch.timeline = timeline
    return watch


def test_endpoint_watch_reports_time_below_the_capacity_floor():
    watch = endpoint_watch([(0.0, 1), (1.0, 0), (4.5, 1), (9.0, 1)])

    assert watch.lowest_ready == 0
    assert watch.seconds_below(1) == 3.5
    assert "below 1, for 3.5 s" in watch.problems(1)[0]
    assert watch.problems(0) == []


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


def test_pod_startup_measures_only_serving_pods():
    pods = [pod("web", "2026-01-01T00:00:00Z", None), pod("migration", "2026-01-01T00:00:00Z", None, owner="Job")]

    assert [p["metadata"]["name"] for p in workloads.serving_pods(pods)] == ["web"]


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
