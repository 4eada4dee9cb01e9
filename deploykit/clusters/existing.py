"""A cluster someone else runs: the current kubeconfig context. Images reach it through a
registry the user names (DEPLOYKIT_REGISTRY), since its nodes cannot see the local engine."""

import os

from deploykit.clusters.base import Cluster
from deploykit.foundation.errors import ClusterUnavailable
from deploykit.tools import engine


class ExistingCluster(Cluster):
    NAME = "existing"
    LOCAL_IMAGE_PULL_POLICY = "IfNotPresent"

    @property
    def kubeconfig(self):
        return os.environ.get("KUBECONFIG") or None

    def start(self) -> None:
        if not self.reachable():
            raise ClusterUnavailable(
                "the current kubeconfig context does not answer; check `kubectl cluster-info`, "
                "or choose another provider with --cluster minikube|local"
            )

    def load_images(self, names):
        registry = os.environ.get("DEPLOYKIT_REGISTRY")
        if not registry:
            raise ClusterUnavailable(
                "an existing cluster pulls images from a registry; set DEPLOYKIT_REGISTRY=<host/path> "
                "to push the built images there"
            )
        client = engine.ensure_engine()
        for name in names:
            repository, tag = name.rsplit(":", 1)
            client.images.get(name).tag(f"{registry}/{repository}", tag)
            for line in client.images.push(f"{registry}/{repository}", tag, stream=True, decode=True):
                if "error" in line:
                    raise ClusterUnavailable(f"pushing {name} to {registry} failed: {line['error']}")

    def stop(self) -> None:
        """Not ours to stop."""
