"""Upgrade from what is deployed today, under steady traffic. The chart and images of a base
revision (the merge base with main, or DEPLOYKIT_UPGRADE_BASE), built from that revision's own
sources, are installed; `helm upgrade` to the working tree's chart and images then drops no
request and runs the migrations forward, and `helm rollback` to the base drops none either. When
the base is the working tree's own revision, the test says so and still runs the upgrade.
Figures: build/artifacts/rollout-upgrade-from-base.json and rollout-rollback-to-base.json."""

import pytest

from deploykit.chart import crosslayer
from deploykit.foundation import paths
from deploykit.foundation.constants import COMPONENTS, RELEASE
from deploykit.images import baserevision
from deploykit.images import build as images
from deploykit.release import rollouts
from deploykit.release.helmrelease import Release, image_version_values
from deploykit.testing.asserts import assert_no_findings, failing_on_cluster_errors

MIGRATIONS = paths.BACKEND / "app" / "migrations" / "versions"


@pytest.fixture(scope="module")
def base(docker_client, cluster, project_images, report_figure) -> baserevision.BaseRevision:
    with failing_on_cluster_errors("building and loading the base revision's images"):
        revision = baserevision.resolve()
        cluster.load_images(list(baserevision.base_images(docker_client, revision, project_images).values()))
    report_figure(f"upgrade from {revision.describe()}")
    return revision


@pytest.fixture(scope="module")
def base_release(cluster, cluster_helm, namespace, environment_values, base) -> Release:
    """The base revision's chart with its values-local.yaml and its images, installed in this
    module's namespace."""
    release = Release(cluster, cluster_helm, RELEASE, namespace, [base.chart / "values-local.yaml", environment_values],
                      image_version_values(base.tag, COMPONENTS), chart=base.chart)
    with failing_on_cluster_errors(f"installing the chart of {base.describe()}"):
        release.install()
    return release


def test_upgrade_from_the_base_revision_drops_no_request_and_migrates_forward(
        base_release, base, environment_values, measured):
    version = images.chart_version()
    disruption = measured(base_release, "upgrade-from-base", lambda: base_release.upgrade(
        image_version_values(version, COMPONENTS), chart=paths.CHART,
        values=[paths.CHART / "values-local.yaml", environment_values]))
    assert_no_findings(disruption.problems(expect_versions=(base.tag, version),
                                           capacity_floor=rollouts.replicas(base_release, "backend")),
                       f"helm upgrade from {base.describe()} to the working tree under traffic")
    assert base_release.psql("SELECT version_num FROM alembic_version") == crosslayer.migration_head(MIGRATIONS), (
        "the upgrade's migration hook did not bring the database to the working tree's newest migration"
    )


def test_rollback_to_the_base_revision_drops_no_request(base_release, base, environment_values, measured):
    installed = 1  # the base revision's install
    if base_release.revision() == installed:
        with failing_on_cluster_errors("upgrading to the working tree, so that there is a revision to roll back"):
            base_release.upgrade(image_version_values(images.chart_version(), COMPONENTS), chart=paths.CHART,
                                 values=[paths.CHART / "values-local.yaml", environment_values])
    disruption = measured(base_release, "rollback-to-base", lambda: base_release.rollback(installed))
    assert_no_findings(disruption.problems(expect_versions=(images.chart_version(), base.tag),
                                           capacity_floor=rollouts.replicas(base_release, "backend")),
                       f"helm rollback to {base.describe()} under traffic")
