"""deploykit.release.rollouts.Disruption on made-up traffic and endpoint timelines: a drain is
judged on every Service it watched and on the number of requests it asked for."""

from deploykit.release.capacity import EndpointWatch
from deploykit.release.rollouts import Disruption
from deploykit.release.traffic import TrafficReport
from deploykit.tools.kubectl import Kubectl


def watch(service: str, timeline: list[tuple[float, int]]) -> EndpointWatch:
    endpoints = EndpointWatch(Kubectl(binary="kubectl"), "ns", service)  # never started: no cluster here
    endpoints.timeline = timeline
    return endpoints


def traffic(requests: int) -> TrafficReport:
    return TrafficReport([{"t": i / 50, "status": 200, "latency_ms": 5.0, "target": "x"} for i in range(requests)],
                         rate=50)


def test_a_disruption_is_judged_on_every_watched_service_and_its_own_request_count():
    drain = Disruption("drain", traffic(1500), watch("todo-backend", [(0.0, 2), (5.0, 1), (9.0, 2)]), [],
                       more_endpoints=[watch("todo-frontend", [(0.0, 2), (6.0, 0), (7.5, 1)])], min_requests=2000)

    assert drain.problems(capacity_floor=1) == [
        "only 1500 requests were sent (at least 2000 needed to judge)",
        "Service todo-frontend had 0 ready endpoint(s), below 1, for 1.5 s: capacity dropped (requests survived "
        "only on terminating pods, if at all)",
    ]
    assert drain.figures()["lowest_ready_endpoints_by_service"] == {"todo-backend": 1, "todo-frontend": 0}
    assert drain.summary().endswith("lowest ready endpoints todo-backend 1, todo-frontend 0")


def test_a_disruption_that_kept_capacity_and_sent_enough_has_no_problem():
    eviction = Disruption("eviction", traffic(2000), watch("todo-backend", [(0.0, 2), (5.0, 1), (9.0, 2)]), [],
                          min_requests=2000)

    assert eviction.problems(capacity_floor=1) == []
