"""Session fixtures shared by the layers: each obtains a prerequisite through deploykit,
and reports a missing one through prerequisites.require (skip locally, fail in CI)."""

import pytest

from deploykit import engine, toolchain
from deploykit.prerequisites import require

__all__ = ["helm_binary", "docker_client", "cluster", "namespace"]


@pytest.fixture(scope="session")
def helm_binary() -> str:
    return require(toolchain.helm, "helm")


@pytest.fixture(scope="session")
def docker_client():
    return require(engine.ensure_engine, "the Docker engine")


@pytest.fixture(scope="session")
def cluster(request):
    """A running cluster; one the suite started is stopped again at the end of the session."""
    from deploykit import clusters

    provider = require(lambda: clusters.choose(request.config.getoption("cluster")), "a cluster provider")
    was_running = provider.reachable()
    require(provider.start, f"the {provider.NAME} cluster")
    yield provider
    if not was_running and not request.config.getoption("keep_cluster"):
        provider.stop()


@pytest.fixture(scope="module")
def namespace(cluster, request):
    """A fresh namespace per test module, deleted afterwards (without waiting: nothing else
    in the session uses it)."""
    import uuid

    module = request.module.__name__.rsplit(".", 1)[-1].replace("_", "-")
    name = f"{module[:40]}-{uuid.uuid4().hex[:6]}"
    kubectl = cluster.kubectl()
    kubectl("create", "namespace", name)
    yield name
    kubectl("delete", "namespace", name, "--wait=false", check=False)
