"""The `nodes` marker: the most nodes any selected test needs shapes the cluster the session
starts, and a test on a smaller cluster is a missing prerequisite that says how to get one."""

import pytest

pytest_plugins = ["pytester"]

STAND_IN_CLUSTER = '''
import pytest

from deploykit.clusters.base import Cluster


class StandIn(Cluster):
    NAME = "stand-in"
    kubeconfig = None
    asked = []

    def start(self): ...
    def load_images(self, names): ...
    def stop(self): ...
    def reachable(self): return True
    def node_names(self): return ["only-node"]

    def want_nodes(self, count):
        StandIn.asked.append(count)


@pytest.fixture(scope="session")
def cluster(request):
    provider = StandIn()
    provider.want_nodes(request.config.stash[fixtures.NODES_WANTED])
    return provider
'''


@pytest.fixture
def suite(pytester):
    pytester.makeconftest("from deploykit.testing import fixtures\n" + STAND_IN_CLUSTER)
    pytester.makepyfile(test_suite='''
import pytest

from conftest import StandIn


def test_one_node(cluster):
    assert StandIn.asked == [3]


@pytest.mark.nodes(3)
def test_three_nodes(cluster):
    pass
''')
    return pytester


def test_the_cluster_is_asked_for_the_most_nodes_a_selected_test_needs(suite):
    suite.runpytest("-p", "deploykit.testing.plugin", "-k", "one_node").assert_outcomes(passed=1)


def test_a_test_needing_more_nodes_than_the_cluster_has_says_how_to_get_them(suite, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest("-p", "deploykit.testing.plugin", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*a cluster of 3 nodes unavailable: stand-in has 1; *--cluster kind*"])


def test_in_ci_it_fails_instead(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")
    suite.runpytest("-p", "deploykit.testing.plugin", "-k", "three_nodes").assert_outcomes(errors=1)
