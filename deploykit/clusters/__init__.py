"""Cluster providers behind a name registry: `--cluster` / CLUSTER picks one.

Default: the kind cluster `make up` created when it runs, else the current kubeconfig context
when it answers, else minikube when installed, else kind (its node image built here where
kind's own cannot be pulled).
"""

import importlib
import os

from deploykit.clusters.base import Cluster
from deploykit.foundation.errors import ClusterUnavailable

PROVIDERS = {
    "existing": "deploykit.clusters.existing:ExistingCluster",
    "minikube": "deploykit.clusters.minikube:MinikubeCluster",
    "kind": "deploykit.clusters.kind:KindCluster",
}


def provider(name: str) -> Cluster:
    if name not in PROVIDERS:
        raise ClusterUnavailable(f"unknown cluster provider {name!r}; choose one of: {', '.join(PROVIDERS)}")
    module, cls = PROVIDERS[name].split(":")
    return getattr(importlib.import_module(module), cls)()


def default_provider_name() -> str:
    """The provider used when none is named (see the module docstring). Our own kind cluster
    wins: with KUBECONFIG pointing at it, as cluster-up suggests, it would otherwise look like
    someone else's, and `make down` would leave it running."""
    from deploykit.clusters.kind import KindCluster

    if KindCluster().created_here():
        return "kind"
    if provider("existing").reachable():
        return "existing"
    from deploykit.clusters.minikube import MinikubeCluster
    return "minikube" if MinikubeCluster.installed() else "kind"


def choose(name: str | None = None) -> Cluster:
    return provider(name or os.environ.get("CLUSTER") or default_provider_name())
