"""pytest entry point for deploykit: options and hooks only; fixtures live in fixtures.py."""

import contextlib
import logging

import pytest

from deploykit.foundation import log
from deploykit.testing import fixtures
from deploykit.testing.fixtures import *  # noqa: F401,F403  (re-exported so pytest registers them)

# render: the chart's specification; deploykit: deploykit's own tests (both need helm only).
LAYER_FOLDERS = ("render", "deploykit", "container", "cluster")


def pytest_addoption(parser):
    group = parser.getgroup("deploykit")
    group.addoption("--cluster", dest="cluster", default=None,
                    help="Cluster provider for the cluster layer: existing, kind or minikube "
                         "(default: $CLUSTER, else the current context, else minikube, else kind)")
    group.addoption("--keep-cluster", dest="keep_cluster", action="store_true",
                    help="Leave a cluster the suite started running after the session")


class LiveProgress(logging.Handler):
    """Writes deploykit's progress lines to the terminal as they happen, even while pytest captures
    the test's output: a cold build inside a fixture takes minutes and must not look hung."""

    def __init__(self, config):
        super().__init__()
        self.plugins = config.pluginmanager

    def emit(self, record):
        # Looked up here: the terminal reporter registers itself after this plugin's configure.
        terminal = self.plugins.getplugin("terminalreporter")
        capture = self.plugins.getplugin("capturemanager")
        if terminal is None:
            return
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            terminal.write_line(self.format(record))


_handlers_before = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[_handlers_before] = list(log.logger.handlers)
    log.attach(LiveProgress(config))


def pytest_unconfigure(config):
    """Put back the handlers there were: a session run inside this one (pytester) would otherwise
    leave the outer session writing to its closed terminal."""
    log.logger.handlers[:] = config.stash.get(_handlers_before, [])


def pytest_ignore_collect(collection_path, config):
    """Under `-m <layer>` alone, as make, tox and the bench run a layer, the other layers' folders
    hold none of its tests (see below): they are not imported, which took 2 of the render layer's
    10 s (tests/deploykit imports all of deploykit, the docker and kubernetes clients with it)."""
    layer = config.getoption("markexpr").strip()
    other_layer = collection_path.name in LAYER_FOLDERS and collection_path.name != layer
    if layer in LAYER_FOLDERS and other_layer and collection_path.parent == config.rootpath / "tests":
        return True
    return None  # not False: that would overrule pytest's own --ignore and norecursedirs


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """A test's folder under tests/ is its layer: tests/render/... gets the `render` marker, and so on,
    so `pytest -m container` can never miss a test that was filed in the right place. The most
    nodes any selected test needs (its `nodes` marker) shapes the cluster the session starts."""
    config.stash[fixtures.NODES_WANTED] = max((fixtures.nodes_needed(item) for item in items), default=1)
    for item in items:
        parts = item.path.parts
        if "tests" in parts:
            index = parts.index("tests")
            if index + 1 < len(parts) and parts[index + 1] in LAYER_FOLDERS:
                item.add_marker(getattr(pytest.mark, parts[index + 1]))
