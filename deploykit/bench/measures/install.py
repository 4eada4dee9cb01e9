"""The bench's own release: the chart installed with values-local.yaml (what `make up` installs)
in a fresh namespace, bench-<random>, timed; its namespace deleted at the end, even when a
measurement fails, so a run leaves nothing behind on the cluster."""

import contextlib
import time
import uuid

from deploykit.bench.figure import Figure
from deploykit.bench.measures import podready
from deploykit.clusters.base import Cluster
from deploykit.foundation import paths
from deploykit.foundation.limits import HELM_INSTALL_S
from deploykit.images import build as images
from deploykit.release.helmrelease import Release
from deploykit.release.install import environment_values_file, third_party_images
from deploykit.tools.helm import Helm

GROUP = "Install"
RELEASE = "bench"
NAMESPACE_DELETE_TIMEOUT_S = 180


def backend_version(version: str) -> dict:
    """--set-json values reporting `version` on the backend's /health, so traffic can tell which
    revision answered (the chart documents APP_VERSION in backend.extraEnv for this)."""
    return {"backend.extraEnv": [{"name": "APP_VERSION", "value": version}]}


@contextlib.contextmanager
def installed_release(client, cluster: Cluster, built: dict):
    """Load the images, install the release; yield (release, figures of the install)."""
    values_file = environment_values_file(client, cluster)
    cluster.load_images([*built.values(), *third_party_images(values_file)])
    kubectl = cluster.kubectl()
    namespace = f"bench-{uuid.uuid4().hex[:6]}"
    kubectl("create", "namespace", namespace)
    release = Release(cluster, Helm(kubeconfig=cluster.kubeconfig, kube_context=cluster.context), RELEASE, namespace,
                      [paths.CHART / "values-local.yaml", values_file], backend_version(images.chart_version()))
    try:
        started = time.perf_counter()
        release.install()
        seconds = time.perf_counter() - started
        pods = podready.startups(release)
        yield release, [
            Figure("install.helm", GROUP, "helm upgrade --install --wait", seconds, "s",
                   "a fresh release with values-local.yaml in an empty namespace, images already on the node",
                   HELM_INSTALL_S, digits=1),
            podready.ready_figure("install.pod_ready", GROUP, f"all {len(pods)} pods of the install", pods),
        ]
    finally:
        # Every object of the chart is namespaced, helm's release records too: deleting the
        # namespace removes the release. Waiting for it keeps its pods' shutdown out of what follows.
        kubectl("delete", "namespace", namespace, f"--timeout={NAMESPACE_DELETE_TIMEOUT_S}s",
                check=False, timeout=NAMESPACE_DELETE_TIMEOUT_S + 30)
