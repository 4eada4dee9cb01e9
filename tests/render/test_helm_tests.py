"""`helm test` pods: each GETs Services of the release on the ports they listen on, and checks
what its name claims (deploykit.chart.helmtests), read against the backend's routes and the
frontend's nginx config."""

import pytest

from deploykit.chart import helmtests
from deploykit.foundation import paths


@pytest.fixture(scope="module")
def facts() -> helmtests.Facts:
    return helmtests.read_facts(paths.BACKEND / "app", paths.FRONTEND / "nginx" / "nginx.conf.template")


@pytest.mark.parametrize("check", helmtests.CHECKS.values(), ids=helmtests.CHECKS.keys())
def test_checks_what_it_claims(helm_test_in_rendering, check, facts):
    findings = check(*helm_test_in_rendering, facts)
    assert not findings, "\n".join(map(str, findings))
