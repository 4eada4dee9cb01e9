"""The lint layer's runner: every check runs even after one fails, each is one JUnit record with
its verdict and output, and a check whose tool cannot be had is skipped naming what to install,
except under CI, where it fails."""

import sys

import pytest

from deploykit.cli import lintrun
from deploykit.foundation import junit
from deploykit.foundation.errors import ToolMissing


def python(code: str) -> list:
    return [sys.executable, "-c", code]


def no_go():
    raise ToolMissing("checking the workflow files needs Go (>= 1.24); install golang from Debian or go.dev")


CHECKS = (
    lintrun.Check("clean", lambda: python("print('all good')")),
    lintrun.Check("dirty", lambda: python("import sys; print('x.py:1: E501'); sys.exit(3)")),
    lintrun.Check("needs-go", no_go),
)


def test_every_check_runs_and_is_recorded(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    report = tmp_path / "junit-lint.xml"

    passed = lintrun.run_checks(CHECKS, report)

    cases = {case.name: case for case in junit.read(report)}
    assert passed is False
    assert {name: case.outcome for name, case in cases.items()} == {
        "clean": "passed", "dirty": "failed", "needs-go": "skipped"}
    assert cases["dirty"].message == "dirty exited 3: x.py:1: E501"
    assert cases["needs-go"].message.startswith("checking the workflow files needs Go")


@pytest.mark.parametrize(("ci", "outcome"), [("", "skipped"), ("true", "failed")], ids=["laptop", "ci"])
def test_a_missing_tool_skips_on_a_laptop_and_fails_under_ci(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    case = lintrun.run_check(CHECKS[2])
    assert (case.outcome, "install golang" in case.message) == (outcome, True)


def test_only_a_failure_fails_the_layer(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert lintrun.run_checks((CHECKS[0], CHECKS[2]), tmp_path / "junit-lint.xml") is True
