"""deploykit.release.reachability on stand-in values and measurements: the matrix production's
NetworkPolicies promise (the ingress's namespaces read from frontendIngressFrom), a peer no pod
can stand in for refused, and each contradicted cell named with what the probe saw."""

import pytest
import yaml

from deploykit.foundation import paths
from deploykit.release import reachability
from deploykit.release.connectprobe import Attempt

GATEWAY = {"networkPolicy": {"frontendIngressFrom": [
    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "gateway-system"}}}]}}


SOURCES = ("ingress-gateway-system", "unrelated-namespace", "unrelated-pod", "frontend", "backend", "migration",
           "helm-test")


def opened(cells: list[reachability.Cell]) -> set[str]:
    return {cell.label for cell in cells if cell.expected}


def test_the_matrix_opens_only_the_paths_the_app_needs():
    assert opened(reachability.expected_matrix(GATEWAY)) == {
        "ingress-gateway-system -> frontend", "helm-test -> frontend",
        "frontend -> backend", "helm-test -> backend",
        "backend -> database", "migration -> database",
        *(f"{source} -> dns" for source in SOURCES),
    }


def test_the_matrix_covers_every_source_and_destination_once():
    cells = reachability.expected_matrix(GATEWAY)

    assert {(cell.source, cell.destination) for cell in cells} == {
        (source, destination) for source in SOURCES for destination in reachability.DESTINATIONS}
    assert len(cells) == len(SOURCES) * len(reachability.DESTINATIONS)
    assert str(cells[0]) == "ingress-gateway-system-to-frontend-open"


def test_without_frontend_ingress_from_the_frontend_is_open_to_any_source_that_may_send():
    cells = reachability.expected_matrix({"networkPolicy": {"frontendIngressFrom": []}})

    assert {cell.source for cell in cells if cell.destination == "frontend" and cell.expected} == {
        "unrelated-namespace", "unrelated-pod", "helm-test"}  # the release's other pods may not send there


def test_the_production_values_name_the_ingress_namespace_the_probes_stand_in_for():
    production = yaml.safe_load((paths.CHART / "values-production.yaml").read_text())

    assert reachability.ingress_sources(production) == [reachability.Source("ingress-gateway-system",
                                                                            "gateway-system")]


def test_an_ingress_peer_with_pod_labels_is_stood_in_by_a_pod_wearing_them():
    peer = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "edge"}},
            "podSelector": {"matchLabels": {"app": "proxy"}}}

    assert reachability.ingress_sources({"networkPolicy": {"frontendIngressFrom": [peer]}}) == [
        reachability.Source("ingress-edge", "edge", labels=(("app", "proxy"),))]


@pytest.mark.parametrize("peer", [
    {"ipBlock": {"cidr": "10.0.0.0/8"}},
    {"namespaceSelector": {"matchLabels": {"team": "edge"}}},
    {"namespaceSelector": {"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "Exists"}]}},
], ids=["ip-block", "other-namespace-label", "match-expressions"])
def test_an_ingress_peer_no_pod_can_stand_in_for_is_refused(peer):
    with pytest.raises(ValueError, match="no pod can stand in for it"):
        reachability.ingress_sources({"networkPolicy": {"frontendIngressFrom": [peer]}})


def test_no_matrix_without_network_policies():
    with pytest.raises(ValueError, match="networkPolicy.enabled is false"):
        reachability.expected_matrix({"networkPolicy": {"enabled": False}})


def attempt(source: str, destination: str, connected: bool) -> Attempt:
    error = None if connected else "TimeoutError: timed out"
    return Attempt(source, destination, "10.96.0.9:5432", connected, error, 1 if connected else 3)


def test_a_cell_measured_as_expected_has_no_finding_and_others_are_named():
    closed = reachability.Cell("unrelated-namespace", "database", expected=False)
    open_ = reachability.Cell("backend", "database", expected=True)
    measured = {("unrelated-namespace", "database"): attempt("unrelated-namespace", "database", True),
                ("backend", "database"): attempt("backend", "database", True)}

    assert reachability.mismatched([closed, open_], measured) == [closed]
    assert reachability.findings([closed, open_], measured) == [
        "unrelated-namespace -> database: must stay closed, but it connected to 10.96.0.9:5432"]


def test_an_open_cell_that_could_not_connect_and_an_unprobed_cell_are_findings():
    open_ = reachability.Cell("backend", "database", expected=True)
    unprobed = reachability.Cell("migration", "database", expected=True)
    measured = {("backend", "database"): attempt("backend", "database", False)}

    assert reachability.findings([open_, unprobed], measured) == [
        "backend -> database: must connect, but it could not connect to 10.96.0.9:5432 in 3 attempt(s): "
        "TimeoutError: timed out",
        "migration -> database: must connect, but it was never probed",
    ]

