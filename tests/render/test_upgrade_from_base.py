"""The working tree upgrades the base revision (the merge base with main, or
DEPLOYKIT_UPGRADE_BASE) without a known breaker: no immutable field changed, no Service port gone
that the base's pods address, no migration that takes away what the base's pods read. The cluster
layer then performs that upgrade under traffic (tests/cluster/test_upgrade.py)."""

import pytest

from deploykit.chart import manifests, upgrades
from deploykit.foundation import paths
from deploykit.images import baserevision
from deploykit.tools.helm import Helm

MIGRATIONS = paths.BACKEND.relative_to(paths.REPO) / "app" / "migrations" / "versions"


@pytest.fixture(scope="module")
def base() -> baserevision.BaseRevision:
    return baserevision.resolve()


def render(helm: Helm, chart) -> manifests.Rendering:
    return manifests.parse(helm.template(chart, "todo", namespace="todo", values=[chart / "values-local.yaml"]))


def test_upgrades_the_base_revision_without_a_known_breaker(helm, base):
    findings = upgrades.upgrade_findings(render(helm, base.chart), render(helm, paths.CHART),
                                         base.tree / MIGRATIONS, paths.REPO / MIGRATIONS)

    assert not findings, f"upgrading from {base.describe()}:\n" + "\n".join(map(str, findings))
