"""The rollout timeline: traffic binned per second, and a picture that is the same file every
time it is drawn from the same recording (so docs/img does not churn)."""

import pytest

from deploykit.bench.recording import PodLife, Recording
from deploykit.bench.timeline import per_bin, pod_spans, write_picture

STARTED = 1_800_000_000.0


def result(t: float, status: int = 200, latency_ms: float = 10.0) -> dict:
    return {"t": t, "status": status, "latency_ms": latency_ms}


def recording() -> Recording:
    results = [result(i / 10, 200 if i != 25 else 0, 5.0 + i) for i in range(60)]
    pods = [PodLife("bench-todo-list-hackathon-backend-5d8-aaaaa", "backend", STARTED - 60, STARTED - 50,
                    STARTED + 3.2, STARTED + 5.0),
            PodLife("bench-todo-list-hackathon-backend-7f9-bbbbb", "backend", STARTED + 1.1, STARTED + 2.9)]
    return Recording("rolling update", STARTED, results, 10.0, pods,
                     [(STARTED + 1.0, "helm upgrade"), (STARTED + 5.0, "settled")])


def test_per_bin_counts_answers_and_failures_per_second():
    bins = per_bin([result(0.1), result(0.5, 503), result(1.2), result(1.9), result(3.0), result(3.4)])
    assert bins.starts == [0.0, 1.0, 2.0]
    assert bins.ok_per_s == [1, 2, 0]
    assert bins.failed_per_s == [1, 0, 0]


def test_per_bin_leaves_out_the_second_the_traffic_stopped_in():
    assert per_bin([result(0.2), result(1.1), result(1.5)]).ok_per_s == [1]


def test_per_bin_latency_percentiles_leave_out_failures_and_empty_seconds():
    bins = per_bin([result(0.1, latency_ms=10), result(0.2, latency_ms=30), result(0.3, 0, latency_ms=5000),
                    result(2.5, latency_ms=7), result(3.1)])
    assert bins.p50_ms == [10, None, 7]
    assert bins.p99_ms == [30, None, 7]


def test_write_picture_draws_the_same_svg_every_time(tmp_path):
    first = write_picture(recording(), tmp_path / "first.svg").read_text()
    second = write_picture(recording(), tmp_path / "second.svg").read_text()
    assert first == second
    assert "rolling update: 60 requests at 10/s, 1 failed" in first
    assert "helm upgrade" in first


def test_write_picture_writes_a_png_when_asked(tmp_path):
    assert write_picture(recording(), tmp_path / "timeline.png").read_bytes().startswith(b"\x89PNG")


def test_pod_spans_of_an_old_pod_start_at_the_traffic_and_end_when_it_is_gone():
    old = recording().pods[0]
    spans = [(round(start, 3), round(stop, 3), state) for start, stop, state in pod_spans(old, recording(), 6.0)]
    assert spans == [(0.0, 3.2, "Ready"), (3.2, 5.0, "stopping")]


def test_pod_spans_of_a_new_pod_run_to_the_end_of_the_traffic():
    new = recording().pods[1]
    spans = pod_spans(new, recording(), end=6.0)
    assert [state for _, _, state in spans] == ["starting", "Ready"]
    assert spans[0][0] == pytest.approx(1.1) and spans[1][1] == 6.0


def test_pod_spans_of_a_pod_stopped_before_it_was_ready_skip_ready():
    life = PodLife("web-1", "backend", STARTED + 1, None, STARTED + 2, STARTED + 4)
    assert pod_spans(life, recording(), end=6.0) == [(1.0, 2.0, "starting"), (2.0, 4.0, "stopping")]
