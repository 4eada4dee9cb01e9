"""deploykit.release.capacity on a made-up endpoint timeline: the time a Service spent below its
ready-capacity floor."""

from deploykit.release.capacity import EndpointWatch
from deploykit.tools.kubectl import Kubectl


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

