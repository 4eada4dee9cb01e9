"""Cluster providers, picked by name or by the CLUSTER environment variable, checked without
starting a cluster."""

import pytest

from deploykit import clusters
from deploykit.foundation.errors import ClusterUnavailable


def test_provider_unknown_name_lists_valid_ones():
    with pytest.raises(ClusterUnavailable, match="choose one of: existing, minikube, local"):
        clusters.provider("kind")


@pytest.mark.parametrize("name", ["existing", "minikube", "local"])
def test_provider_known_name_returns_matching_provider(name):
    assert clusters.provider(name).NAME == name


def test_choose_honours_cluster_environment_variable(monkeypatch):
    monkeypatch.setenv("CLUSTER", "minikube")
    assert clusters.choose().NAME == "minikube"

