"""deploykit.testing.outcomes and .pytestrun: a shared failure fails its own test once and every
other reader skips naming it; a pytest subprocess is reported with its time, memory and cases."""

import pytest

from deploykit.foundation import paths
from deploykit.testing import outcomes
from deploykit.testing.pytestrun import run_pytest

BROKEN = outcomes.Failure.of(ValueError("at '/backend/replicaCount': minimum"), "values-local.yaml", "test_x[local]")

SAMPLE = """
import pytest
from deploykit.testing import outcomes

FAILURE = outcomes.Failure("values-local.yaml", "backend.replicaCount: must be >= 0", "test_owner")

def test_owner():
    outcomes.report_last([None, FAILURE], "does not render")

@pytest.mark.parametrize("n", range(50))
def test_reader(n):
    outcomes.skip_if_failed(FAILURE)

def test_unrelated():
    pass
"""


def test_first_failure_is_the_earliest_link():
    assert outcomes.first_failure([None, BROKEN, None]) is BROKEN
    assert outcomes.first_failure([None, None]) is None


def test_keeps_only_the_text_of_the_error():
    assert BROKEN.message == "at '/backend/replicaCount': minimum"


def test_reports_last_link_and_skips_for_an_earlier_one():
    with pytest.raises(pytest.fail.Exception, match="values-local.yaml does not render:\nat '/backend"):
        outcomes.report_last([None, BROKEN], "does not render")
    with pytest.raises(pytest.skip.Exception, match=r"depends on values-local.yaml, which fails: see test_x\[local\]"):
        outcomes.report_last([BROKEN, None])
    outcomes.report_last([])


def test_runs_pytest_and_reads_each_case(tmp_path):
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    # from the repository, so its deploykit comes first on sys.path
    run = run_pytest(["-q", str(tmp_path / "test_sample.py")], cwd=paths.REPO, timeout=60)
    assert run.returncode == 1 and run.seconds > 0 and run.max_rss_mb > 0
    assert [case.name for case in run.with_outcome("failed")] == ["test_sample::test_owner"]
    assert "backend.replicaCount" in run.with_outcome("failed")[0].message
    assert len(run.with_outcome("skipped")) == 50 and len(run.with_outcome("passed")) == 1
    assert all("see test_owner" in case.message for case in run.with_outcome("skipped"))
