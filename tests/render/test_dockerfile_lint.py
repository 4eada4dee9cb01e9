"""Each Dockerfile passes hadolint with every rule on. A waiver is hadolint's own
`# hadolint ignore=DLxxxx` pragma on the line above the instruction, with its reason on the
comment line above the pragma; a waiver without a reason is a finding too."""

import pytest

from deploykit.foundation import paths
from deploykit.images import lint as dockerlint
from deploykit.testing.asserts import assert_no_findings
from deploykit.testing.prerequisites import require

# The container layer builds this deliberately bad image; here its Dockerfile must fail the lint.
BAD_ROOT_USER = paths.REPO / "tests" / "container" / "fixtures" / "bad" / "root-user" / "Dockerfile"
DOCKERFILES = {"backend": paths.BACKEND / "Dockerfile", "frontend": paths.FRONTEND / "Dockerfile"}


@pytest.fixture(scope="module")
def hadolint():
    return require(dockerlint.hadolint_binary, "hadolint")


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_passes_hadolint_with_every_rule_on(hadolint, dockerfile):
    assert_no_findings(dockerlint.dockerfile_findings(dockerfile), f"hadolint {dockerfile.relative_to(paths.REPO)}")


def test_reports_each_finding_with_its_rule_id(hadolint):
    findings = dockerlint.dockerfile_findings(BAD_ROOT_USER)
    assert "DL3002" in {finding.where for finding in findings}, [str(f) for f in findings]


def test_reports_a_waiver_without_a_reason(hadolint, tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM busybox:1.36\n# hadolint ignore=DL3002\nUSER 0\n")
    assert [finding.where for finding in dockerlint.dockerfile_findings(dockerfile)] == ["waiver-reason"]
