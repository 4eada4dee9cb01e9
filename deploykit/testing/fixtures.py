"""Session fixtures shared by the layers: each obtains a prerequisite through deploykit,
and reports a missing one through prerequisites.require (skip locally, fail in CI)."""

import pytest

from deploykit.foundation import log
from deploykit.foundation.errors import ClusterUnavailable
from deploykit.testing.prerequisites import require
from deploykit.tools import toolchain

# The most nodes any selected test needs, set at collection (plugin.py).
NODES_WANTED = pytest.StashKey[int]()

__all__ = ["enough_nodes", "helm_binary", "docker_client", "cluster", "namespace", "project_images", "e2e_browser",
           "deploykit_log"]


@pytest.fixture
def deploykit_log(caplog):
    """deploykit's log lines during a test, as caplog records (the deploykit logger does not
    propagate to caplog's root handler); the logger's handlers and level are put back afterwards,
    so a CLI under test that attaches its own handler leaves none behind for later tests."""
    handlers, level = list(log.logger.handlers), log.logger.level
    log.logger.addHandler(caplog.handler)
    yield caplog
    log.logger.handlers[:] = handlers
    log.logger.setLevel(level)


@pytest.fixture(scope="session")
def helm_binary() -> str:
    return require(toolchain.helm, "helm")


@pytest.fixture(scope="session")
def docker_client():
    # Imported here: the docker SDK takes 60 ms of every pytest start, the engine-free layers' too.
    from deploykit.tools import engine

    return require(engine.ensure_engine, "the Docker engine")


@pytest.fixture(scope="session")
def cluster(request):
    """A running cluster; one the suite started is stopped again at the end of the session."""
    from deploykit import clusters

    provider = require(lambda: clusters.choose(request.config.getoption("cluster")), "a cluster provider")
    provider.want_nodes(request.config.stash.get(NODES_WANTED, 1))
    was_running = provider.reachable()
    require(provider.start, f"the {provider.NAME} cluster")
    # `--cluster <name>` in a test's command (diagnose, ai, the MCP server) means this cluster.
    with pytest.MonkeyPatch.context() as environment:
        for key, value in provider.selection_env().items():
            environment.setenv(key, value)
        yield provider
    if not was_running and not request.config.getoption("keep_cluster"):
        provider.stop()


def nodes_needed(item) -> int:
    """The node count a test's `nodes` marker asks for (1 without one)."""
    marker = item.get_closest_marker("nodes")
    return int(marker.args[0]) if marker else 1


@pytest.fixture(autouse=True)
def enough_nodes(request):
    """A test marked nodes(N) runs only on a cluster of N nodes or more; on a smaller one it is
    a missing prerequisite (a skip, or a failure in CI) that says how to get one."""
    needed = nodes_needed(request.node)
    if needed > 1:
        cluster = request.getfixturevalue("cluster")
        nodes = cluster.node_names()

        def enough():
            if len(nodes) < needed:
                raise ClusterUnavailable(f"{cluster.describe()} has {len(nodes)}; run the cluster layer with "
                                         "--cluster kind, which starts a multi-node one")

        require(enough, f"a cluster of {needed} nodes")


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


@pytest.fixture(scope="session")
def project_images(docker_client) -> dict:
    """{"backend": name, "frontend": name}, tagged with the chart's appVersion: built once per
    session, or reused when their inputs are unchanged. A build that fails fails the tests; bases
    that cannot be obtained here are a missing prerequisite."""
    from deploykit.foundation.errors import ImageBuildError
    from deploykit.images import build as images

    def build():
        try:
            return images.build_project_images(docker_client)
        except ImageBuildError as exc:
            pytest.fail(f"the project images do not build: {exc}", pytrace=False)

    return require(build, "the project images' bases")


@pytest.fixture(scope="session")
def e2e_browser():
    """A headless Chromium for deploykit.containers.journey journeys (any layer that has a base URL)."""
    import contextlib

    from deploykit.containers.journey import chromium

    with contextlib.ExitStack() as stack:
        yield require(lambda: stack.enter_context(chromium()), "a headless Chromium")
