"""deploykit.chart.networkpolicy: the evaluator follows the NetworkPolicy API's semantics."""

import pytest

from deploykit.chart import manifests
from deploykit.chart.networkpolicy import OUTSIDE, allows

WEB, API, DB = {"tier": "web"}, {"tier": "api"}, {"tier": "db"}


def rendering(*specs) -> manifests.Rendering:
    return manifests.Rendering(
        tuple(
            manifests.Manifest({"kind": "NetworkPolicy", "metadata": {"name": f"p{i}"}, "spec": spec})
            for i, spec in enumerate(specs)
        )
    )


DENY_ALL = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
WEB_TO_API = {
    "podSelector": {"matchLabels": API},
    "policyTypes": ["Ingress"],
    "ingress": [{"from": [{"podSelector": {"matchLabels": WEB}}], "ports": [{"port": 8000}]}],
}
WEB_EGRESS = {
    "podSelector": {"matchLabels": WEB},
    "policyTypes": ["Egress"],
    "egress": [
        {
            "to": [{"podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["api"]}]}}],
            "ports": [{"port": 8000, "endPort": 8010}],
        }
    ],
}


def test_allows_everything_without_policies():
    assert allows(rendering(), WEB, DB, 5432)


def test_denies_everything_under_default_deny():
    assert not allows(rendering(DENY_ALL), WEB, API, 8000)
    assert not allows(rendering(DENY_ALL), WEB, OUTSIDE, 53, "UDP")


def test_needs_both_egress_and_ingress_rules():
    assert not allows(rendering(DENY_ALL, WEB_TO_API), WEB, API, 8000)
    assert allows(rendering(DENY_ALL, WEB_TO_API, WEB_EGRESS), WEB, API, 8000)
    assert allows(rendering(DENY_ALL, WEB_TO_API, WEB_EGRESS), WEB, API, 8000, "TCP")


@pytest.mark.parametrize(
    "source, destination, port, protocol",
    [
        (DB, API, 8000, "TCP"),  # ingress from a pod the rule does not name
        (WEB, API, 8001, "TCP"),  # a port outside the ingress rule
        (WEB, API, 8000, "UDP"),  # another protocol
        (WEB, DB, 8000, "TCP"),  # egress to a pod the rule does not name
    ],
)
def test_denies_what_no_rule_names(source, destination, port, protocol):
    assert not allows(rendering(DENY_ALL, WEB_TO_API, WEB_EGRESS), source, destination, port, protocol)


def test_matches_peers_outside_only_by_namespace_or_ip_block():
    by_pod = {"podSelector": {"matchLabels": API}, "ingress": [{"from": [{"podSelector": {}}]}]}
    by_namespace = {
        "podSelector": {"matchLabels": API},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"x": "y"}}}]}],
    }
    assert not allows(rendering(by_pod), OUTSIDE, API, 8000)
    assert allows(rendering(by_namespace), OUTSIDE, API, 8000)
    assert not allows(rendering(by_namespace), WEB, API, 8000), "our namespace may not carry x=y"


def test_governs_egress_only_when_declared_or_present():
    ingress_only = {"podSelector": {}, "ingress": []}
    assert allows(rendering(ingress_only), WEB, OUTSIDE, 443)
    assert not allows(rendering(ingress_only), OUTSIDE, WEB, 8080)
