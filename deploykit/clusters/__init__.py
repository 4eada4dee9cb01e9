"""Cluster providers behind a name registry: `--cluster` / CLUSTER picks one.

Default: the local cluster when it is running, else the current kubeconfig context when it
answers, else minikube when installed, else the local cluster built from source.
"""

import importlib
import os

from deploykit.clusters.base import Cluster
from deploykit.foundation.errors import ClusterUnavailable

PROVIDERS = {
    "existing": "deploykit.clusters.existing:ExistingCluster",
    "minikube": "deploykit.clusters.minikube:MinikubeCluster",
    "local": "deploykit.clusters.local:LocalCluster",
    "kind": "deploykit.clusters.kind:KindCluster",
}


def provider(name: str) -> Cluster:
    if name not in PROVIDERS:
        raise ClusterUnavailable(f"unknown cluster provider {name!r}; choose one of: {', '.join(PROVIDERS)}")
    module, cls = PROVIDERS[name].split(":")
    return getattr(importlib.import_module(module), cls)()


def default_provider_name() -> str:
    """The provider used when none is named (see the module docstring). A running local cluster
    wins: a KUBECONFIG pointing at it would otherwise make it look like someone else's."""
    from deploykit.clusters.local import LocalCluster

    if LocalCluster().running():
        return "local"
    if provider("existing").reachable():
        return "existing"
    from deploykit.clusters.minikube import MinikubeCluster
    return "minikube" if MinikubeCluster.installed() else "local"


def choose(name: str | None = None) -> Cluster:
    return provider(name or os.environ.get("CLUSTER") or default_provider_name())
