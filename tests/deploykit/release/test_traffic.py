"""deploykit.release.traffic's verdict on made-up answers: zero-downtime traffic means no
failure, no long gap and every version answering, judged only on enough requests."""

from deploykit.release.traffic import TrafficReport


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

