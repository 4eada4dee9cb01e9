"""Cluster providers, picked by name or by the CLUSTER environment variable, checked without
starting a cluster."""

import pytest

from deploykit import clusters
from deploykit.foundation.errors import ClusterUnavailable


def test_provider_unknown_name_lists_valid_ones():
    with pytest.raises(ClusterUnavailable, match="choose one of: existing, minikube, kind"):
        clusters.provider("kubernetes-the-hard-way")


@pytest.mark.parametrize("name", ["existing", "minikube", "kind"])
def test_provider_known_name_returns_matching_provider(name):
    assert clusters.provider(name).NAME == name


def test_choose_honours_cluster_environment_variable(monkeypatch):
    monkeypatch.setenv("CLUSTER", "minikube")
    assert clusters.choose().NAME == "minikube"


def nothing_running(monkeypatch, minikube_installed: bool = False) -> None:
    from deploykit.clusters.kind import KindCluster
    from deploykit.clusters.minikube import MinikubeCluster

    monkeypatch.delenv("CLUSTER", raising=False)
    monkeypatch.setattr(KindCluster, "created_here", lambda self: False)
    monkeypatch.setattr(clusters.provider("existing").__class__, "reachable", lambda self: False)
    monkeypatch.setattr(MinikubeCluster, "installed", staticmethod(lambda: minikube_installed))


def test_with_nothing_running_or_installed_the_default_is_kind(monkeypatch):
    nothing_running(monkeypatch)
    assert clusters.choose().NAME == "kind"


def test_an_installed_minikube_is_the_default_when_no_cluster_answers(monkeypatch):
    nothing_running(monkeypatch, minikube_installed=True)
    assert clusters.choose().NAME == "minikube"


def test_the_kind_cluster_make_up_created_wins_over_a_context_pointing_at_it(monkeypatch):
    from deploykit.clusters.kind import KindCluster

    nothing_running(monkeypatch)
    monkeypatch.setattr(clusters.provider("existing").__class__, "reachable", lambda self: True)
    monkeypatch.setattr(KindCluster, "created_here", lambda self: True)
    assert clusters.choose().NAME == "kind"


def test_existing_cluster_points_the_chart_at_the_registry_it_pushes_to(monkeypatch):
    from deploykit.clusters import existing
    monkeypatch.setenv("DEPLOYKIT_REGISTRY", "kind-registry:5000")
    assert clusters.provider("existing").chart_values() == {"global": {"imageRegistry": "kind-registry:5000"}}
    assert existing.pushed_name("todo-list-hackathon/backend:0.1.0-next", "kind-registry:5000") == (
        "kind-registry:5000/todo-list-hackathon/backend", "0.1.0-next")
    # global.imageRegistry replaces a local name's registry, so the push must too
    assert existing.pushed_name("localhost/todo-base/postgres:17", "kind-registry:5000") == (
        "kind-registry:5000/todo-base/postgres", "17")


def test_a_pod_outside_the_chart_names_a_loaded_image_where_the_nodes_pull_it(monkeypatch):
    monkeypatch.setenv("DEPLOYKIT_REGISTRY", "kind-registry:5000")
    assert clusters.provider("existing").pod_image("localhost/todo-edge/traefik:v3.7.13-abc") == (
        "kind-registry:5000/todo-edge/traefik:v3.7.13-abc")
    monkeypatch.delenv("DEPLOYKIT_REGISTRY")
    assert clusters.provider("existing").pod_image("localhost/todo-edge/traefik:v3") == "localhost/todo-edge/traefik:v3"
    assert clusters.provider("kind").pod_image("localhost/todo-edge/traefik:v3") == "localhost/todo-edge/traefik:v3"


def test_existing_cluster_without_a_registry_adds_no_values(monkeypatch):
    monkeypatch.delenv("DEPLOYKIT_REGISTRY", raising=False)
    assert clusters.provider("existing").chart_values() == {}
