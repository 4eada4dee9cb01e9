"""values-production.yaml's NetworkPolicies, measured by real TCP connections from pods on a
cluster that enforces them (kind's multi-node cluster): every cell of the matrix in
deploykit.release.reachability, from the ingress's namespace (read from frontendIngressFrom),
an unrelated namespace, an unrelated pod beside the release and stand-ins for the release's own
components, to the frontend, the backend, the database and DNS. One probe pod per source tries
every destination, once per module; a deliberately loosened namespace must be caught."""

import pytest
import yaml

from deploykit.foundation import paths
from deploykit.release import reachability
from deploykit.testing.asserts import assert_no_findings, failing_on_cluster_errors

PRODUCTION_VALUES = yaml.safe_load((paths.CHART / "values-production.yaml").read_text())
MATRIX = reachability.expected_matrix(PRODUCTION_VALUES)
MUST_STAY_CLOSED = [cell for cell in MATRIX if not cell.expected]


@pytest.fixture(scope="module")
def prober(production_release):
    with failing_on_cluster_errors("creating the namespaces the probes run in"), \
            reachability.Prober(production_release, PRODUCTION_VALUES) as prober:
        yield prober


@pytest.fixture(scope="module")
def measured_connections(prober):
    with failing_on_cluster_errors("probing connections from pods"):
        return prober.probe()


@pytest.mark.nodes(3)
@pytest.mark.parametrize("cell", MATRIX, ids=str)
def test_production_network_policies_open_exactly_the_paths_the_app_needs(cell, measured_connections):
    assert_no_findings(reachability.findings([cell], measured_connections), "NetworkPolicy matrix")


@pytest.mark.nodes(3)
def test_an_allow_all_ingress_policy_in_the_namespace_is_caught(production_release, prober):
    """The check is shown to fail: with a stray policy admitting everything in the release's
    namespace, the database (among others) opens to a pod of an unrelated namespace."""
    database_cell = reachability.Cell(reachability.UNRELATED_NAMESPACE, reachability.DATABASE, expected=False)
    assert database_cell in MUST_STAY_CLOSED
    with failing_on_cluster_errors("probing with an allow-all ingress policy in the namespace"), \
            reachability.allowing_all_ingress(production_release.kubectl, production_release.namespace):
        loosened = prober.probe({cell.source for cell in MUST_STAY_CLOSED})
    found = reachability.findings(MUST_STAY_CLOSED, loosened)
    assert [f for f in found if f.startswith(f"{database_cell.label}:")], (
        f"an allow-all ingress policy went unnoticed at {database_cell.label}: "
        f"{found or 'every cell that must stay closed stayed closed'}")
