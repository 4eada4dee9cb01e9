"""A cluster someone else runs: the current kubeconfig context. Images reach it through a
registry the user names (DEPLOYKIT_REGISTRY), since its nodes cannot see the local engine: each
is pushed there under its repository, and the chart's global.imageRegistry points every image of
the release at it (a kind cluster with helm/kind-action's local registry is such a cluster)."""

import os

from deploykit.clusters.base import Cluster
from deploykit.foundation.errors import ClusterUnavailable
from deploykit.images.build import image_values
from deploykit.tools import engine


def registry() -> str | None:
    return os.environ.get("DEPLOYKIT_REGISTRY") or None


def pushed_name(name: str, to: str) -> tuple[str, str]:
    """(repository, tag) of a local image in registry `to`, as the chart's global.imageRegistry
    resolves it: any registry the local name carries (localhost/...) is replaced, not nested."""
    values = image_values(name)
    return f"{to}/{values['repository']}", values["tag"]


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
                "or choose another provider with --cluster kind|minikube"
            )

    def chart_values(self) -> dict:
        to = registry()
        return {"global": {"imageRegistry": to}} if to else {}

    def pod_image(self, name: str) -> str:
        to = registry()
        return ":".join(pushed_name(name, to)) if to else name

    def load_images(self, names):
        to = registry()
        if not to:
            raise ClusterUnavailable(
                "an existing cluster pulls images from a registry; set DEPLOYKIT_REGISTRY=<host/path> "
                "to push the built images there"
            )
        client = engine.ensure_engine()
        for name in names:
            repository, tag = pushed_name(name, to)
            client.images.get(name).tag(repository, tag)
            for line in client.images.push(repository, tag, stream=True, decode=True):
                if "error" in line:
                    raise ClusterUnavailable(f"pushing {name} to {to} failed: {line['error']}")

    def stop(self) -> None:
        """Not ours to stop."""
