"""edge.traffic runs the cluster layer's load generator on this host through the edge: steady
TLS requests for the hostname, judged as the in-cluster ones are."""

import time

from deploykit.edge import traffic


def test_steady_traffic_through_a_healthy_edge_has_no_failure(address, stand_in_edge):
    with traffic.steady_traffic(address, rate=40) as generator:
        pass
    report = generator.report
    assert report.requests >= 1 and report.failures == []
    assert set(stand_in_edge.hosts_seen) == {"todo.example.com"}


def test_traffic_counts_the_answers_of_a_wrong_route_as_failures(address, stand_in_edge):
    with traffic.steady_traffic(address, rate=40) as generator:
        stand_in_edge.routes_to_backend = True
        time.sleep(0.5)
    assert generator.report.failures and {r["status"] for r in generator.report.failures} == {404}
