"""NetworkPolicy: the release's pods accept and open only the connections the app needs."""

import pytest

from deploykit.chart.networkpolicy import OUTSIDE, allows

# Variants that render NetworkPolicies and an in-cluster database (and so every path below).
VARIANTS_WITH_DATABASE = ("default", "local", "local-ephemeral-database", "mirror-registry-pinned-digest")
RELEASE_LABELS = {"app.kubernetes.io/name": "todo-list-hackathon", "app.kubernetes.io/instance": "todo-list-hackathon"}


def pod(component: str | None) -> dict:
    """Labels of a pod of this release (None: a pod of another app in the same namespace)."""
    return {**RELEASE_LABELS, "app.kubernetes.io/component": component} if component else {"app": "other"}


# (source, destination, port, protocol): each path a component needs.
NEEDED = {
    "clients-to-frontend": (OUTSIDE, pod("frontend"), 8080, "TCP"),
    "frontend-to-backend": (pod("frontend"), pod("backend"), 8000, "TCP"),
    "backend-to-database": (pod("backend"), pod("postgresql"), 5432, "TCP"),
    "migration-to-database": (pod("migration"), pod("postgresql"), 5432, "TCP"),
    "backend-to-openai-https": (pod("backend"), OUTSIDE, 443, "TCP"),
    "helm-test-to-frontend": (pod("test"), pod("frontend"), 8080, "TCP"),
    "helm-test-to-backend": (pod("test"), pod("backend"), 8000, "TCP"),
    **{
        f"{c}-to-dns-{p.lower()}": (pod(c), OUTSIDE, 53, p)
        for c in ("frontend", "backend", "postgresql", "migration", "test")
        for p in ("UDP", "TCP")
    },
}
# Paths that must stay closed.
DENIED = {
    "frontend-to-database": (pod("frontend"), pod("postgresql"), 5432, "TCP"),
    "helm-test-to-database": (pod("test"), pod("postgresql"), 5432, "TCP"),
    "outside-to-backend": (OUTSIDE, pod("backend"), 8000, "TCP"),
    "outside-to-database": (OUTSIDE, pod("postgresql"), 5432, "TCP"),
    "other-app-to-backend": (pod(None), pod("backend"), 8000, "TCP"),
    "other-app-to-database": (pod(None), pod("postgresql"), 5432, "TCP"),
    "database-to-outside": (pod("postgresql"), OUTSIDE, 443, "TCP"),
    "frontend-to-outside": (pod("frontend"), OUTSIDE, 443, "TCP"),
    "backend-to-frontend": (pod("backend"), pod("frontend"), 8080, "TCP"),
}


@pytest.mark.parametrize("variant_name", VARIANTS_WITH_DATABASE)
@pytest.mark.parametrize("path", NEEDED.values(), ids=NEEDED.keys())
def test_allows_needed_path(variant_name, path, renderings):
    assert allows(renderings[variant_name], *path)


@pytest.mark.parametrize("variant_name", VARIANTS_WITH_DATABASE)
@pytest.mark.parametrize("path", DENIED.values(), ids=DENIED.keys())
def test_denies_unneeded_path(variant_name, path, renderings):
    assert not allows(renderings[variant_name], *path)


def test_isolates_only_release_pods(renderings):
    """Other apps sharing the namespace keep their own network rules."""
    assert allows(renderings["default"], pod(None), OUTSIDE, 443)


def test_opens_frontend_only_to_gateway_proxies_in_production(renderings):
    rendering = renderings["production"]
    policy = rendering.one("NetworkPolicy", component="frontend")
    assert policy.get("spec.ingress")[0]["from"][0] == {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "gateway-system"}}
    }
    assert not allows(rendering, pod(None), pod("frontend"), 8080)


@pytest.mark.parametrize("variant_name", ("default", "production"))
def test_lets_helm_test_pods_reach_the_frontend_whatever_frontend_ingress_from_admits(variant_name, renderings):
    """frontendIngressFrom names the ingress's namespace; the release's own test pods (and the
    cluster layer's load generator, which wears their labels) check the frontend from the
    release's namespace, and must still be let in."""
    rendering = renderings[variant_name]
    assert allows(rendering, pod("test"), pod("frontend"), 8080)
    assert not allows(rendering, pod("backend"), pod("frontend"), 8080)


def test_allows_external_database_in_production(renderings):
    assert allows(renderings["production"], pod("backend"), OUTSIDE, 5432)
    assert allows(renderings["production"], pod("migration"), OUTSIDE, 5432)


def test_renders_no_network_policy_when_disabled(renderings):
    assert not renderings["ingress-tls-without-networkpolicy"].select("NetworkPolicy")
