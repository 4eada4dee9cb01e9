"""Fixtures of the cluster layer: helm bound to the cluster, the values that fit the chart to it
(with every image they name loaded), and one release per test module installed in the module's
fresh namespace: with values-local.yaml (local_release) or values-production.yaml
(production_release). A failing test's report carries the namespace's pods, events and unhealthy
pods' logs, also saved as
build/artifacts/diagnostics/<namespace>.txt."""

from pathlib import Path

import pytest
import yaml

from deploykit.clusters import workloads
from deploykit.diagnose import report
from deploykit.foundation import artifacts, paths
from deploykit.foundation.constants import COMPONENTS, RELEASE
from deploykit.images import build as images
from deploykit.release import externaldb, rollouts
from deploykit.release.helmrelease import Release, backend_test_values
from deploykit.release.install import environment_values_file, third_party_images
from deploykit.testing.asserts import failing_on_cluster_errors
from deploykit.tools import gatewayapi
from deploykit.tools.helm import Helm

LOCAL_VALUES = paths.CHART / "values-local.yaml"
PRODUCTION_VALUES = paths.CHART / "values-production.yaml"
SCALE_UP_TIMEOUT_S = 120
_diagnosed = pytest.StashKey[set]()
_figures = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def cluster_helm(cluster, helm_binary) -> Helm:
    return Helm(helm_binary, kubeconfig=cluster.kubeconfig, kube_context=cluster.context)


@pytest.fixture(scope="session")
def environment_values(docker_client, cluster, project_images) -> Path:
    """The values file fitting the chart to this engine and cluster; its images and the project's
    are loaded into the cluster."""
    with failing_on_cluster_errors("preparing the chart's images for the cluster"):
        values_file = environment_values_file(docker_client, cluster)
        cluster.load_images([*project_images.values(), *third_party_images(values_file)])
    return values_file


@pytest.fixture(scope="module")
def local_release(cluster, cluster_helm, namespace, environment_values) -> Release:
    """The chart installed with values-local.yaml in this module's namespace (deleted with it)."""
    release = Release(cluster, cluster_helm, RELEASE, namespace, [LOCAL_VALUES, environment_values],
                      backend_test_values(images.chart_version()))
    with failing_on_cluster_errors(f"installing release {RELEASE} with values-local.yaml in {namespace}"):
        release.install()
    return release


@pytest.fixture(scope="module")
def production_release(cluster, cluster_helm, namespace, environment_values) -> Release:
    """values-production.yaml in this module's namespace, changed only where the cluster differs:
    images are never pulled (so pull policies are overridden and the third-party images point at
    the loaded ones), and the external database and Secrets it expects are provided beforehand
    (deploykit.release.externaldb); returned once each component runs the autoscaler's minimum."""
    kubectl = cluster.kubectl()
    pull_policy = {f"{c}.image.pullPolicy": cluster.LOCAL_IMAGE_PULL_POLICY for c in COMPONENTS}
    release = Release(cluster, cluster_helm, "todo", namespace, [PRODUCTION_VALUES, environment_values], pull_policy)
    production = yaml.safe_load(PRODUCTION_VALUES.read_text())
    with failing_on_cluster_errors(f"installing values-production.yaml in {namespace}"):
        externaldb.provide(kubectl, cluster_helm, namespace, PRODUCTION_VALUES, [environment_values], release.name)
        gatewayapi.apply_crds(kubectl)  # the production values publish the app through an HTTPRoute
        release.install()
        # The autoscaler, not the Deployment, sets the replica count; wait for it to reach its minimum.
        for component in COMPONENTS:
            workloads.wait_ready_replicas(kubectl, namespace, release.object_name("deployment", component),
                                          production[component]["autoscaling"]["minReplicas"], SCALE_UP_TIMEOUT_S)
    return release


@pytest.fixture
def measured(report_figure):
    """measured(release, scenario, act, record=True, **options) -> Disruption: act() under traffic
    (rollouts.under_traffic's options: the Services watched, how many requests, which traffic), its
    figures reported and (for a real scenario) saved as build/artifacts/rollout-<scenario>.json."""
    def measure(release: Release, scenario: str, act, record: bool = True, **options) -> rollouts.Disruption:
        with failing_on_cluster_errors(f"{scenario} under traffic"):
            disruption = rollouts.under_traffic(release, scenario, act, **options)
        report_figure(disruption.summary())
        if record:
            artifacts.record(f"rollout-{scenario}", "traffic", disruption.figures())
        return disruption

    return measure


@pytest.fixture(scope="session")
def report_figure(request):
    """report_figure(line): a measured figure, printed in the run's summary (captured output of
    passing tests is not shown, and `pytest -m cluster` must show its figures)."""
    return request.config.stash.setdefault(_figures, []).append


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(_figures, None):
        terminalreporter.section("cluster figures")
        for line in config.stash[_figures]:
            terminalreporter.write_line(line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Add the namespace's diagnostics to a failed test's report (once per namespace for a
    failing module fixture, which fails every test of the module the same way)."""
    outcome = yield
    cluster, namespace = item.funcargs.get("cluster"), item.funcargs.get("namespace")
    if outcome.failed and cluster and namespace:
        seen = item.session.stash.setdefault(_diagnosed, set())
        if call.when == "call" or namespace not in seen:
            seen.add(namespace)
            diagnostics = report.report(cluster.kubectl(), namespace)
            # Also a file, so CI uploads it and the run's summary links to it.
            saved = artifacts.save_text(f"{artifacts.DIAGNOSTICS}/{namespace}.txt", diagnostics)
            outcome.sections.append((f"cluster diagnostics: namespace {namespace} (also {saved})", diagnostics))
    return outcome
