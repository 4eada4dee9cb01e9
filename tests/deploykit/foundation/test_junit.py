"""JUnit records: what deploykit writes reads back the same, and files from pytest and Vitest
(made-up, in their shapes) read as passed, failed (a failure or an error) and skipped cases."""

from deploykit.foundation import junit

PYTEST = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="render" errors="1" failures="1" skipped="1" tests="4">
<testcase classname="tests.render.test_policy" name="test_ok" time="0.5"/>
<testcase classname="tests.render.test_policy" name="test_bad" time="0.1">
  <failure message="AssertionError: 2 problem(s)&#10;  - first">detail</failure></testcase>
<testcase classname="tests.render.test_policy" name="test_broken" time="0.1">
  <error message="failed on setup with &quot;ToolMissing: helm&quot;">trace</error></testcase>
<testcase classname="tests.render.test_policy" name="test_later" time="0">
  <skipped type="pytest.skip" message="helm unavailable">skip</skipped></testcase>
</testsuite></testsuites>"""

VITEST = """<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="2" failures="1" errors="0" time="1.2">
  <testsuite name="test/api.test.ts" tests="2" failures="1">
    <testcase classname="test/api.test.ts" name="api &gt; sends the token" time="0.01"></testcase>
    <testcase classname="test/api.test.ts" name="api &gt; retries" time="0.02">
      <failure message="expected 1 to be 2" type="AssertionError">AssertionError: expected 1 to be 2</failure>
    </testcase>
  </testsuite>
</testsuites>"""


def test_written_cases_read_back(tmp_path):
    cases = [junit.Case("ruff", "lint", "passed", "", 0.1, "All checks passed!"),
             junit.Case("mypy", "lint", "failed", "mypy exited 1: Found 2 errors", 30.0, "a.py:1: error"),
             junit.Case("actionlint", "lint", "skipped", "needs Go", 0.0)]

    read = junit.read(junit.write(tmp_path / "reports" / "junit-lint.xml", "lint", cases))

    assert [(c.id, c.outcome, c.message, c.seconds) for c in read] == [
        ("lint::ruff", "passed", "", 0.1), ("lint::mypy", "failed", "mypy exited 1: Found 2 errors", 30.0),
        ("lint::actionlint", "skipped", "needs Go", 0.0)]


def test_pytest_failures_errors_and_skips_are_read(tmp_path):
    (tmp_path / "junit-render.xml").write_text(PYTEST)
    cases = junit.read(tmp_path / "junit-render.xml")
    assert [(c.name, c.outcome, c.message) for c in cases] == [
        ("test_ok", "passed", ""),
        ("test_bad", "failed", "AssertionError: 2 problem(s)"),
        ("test_broken", "failed", 'failed on setup with "ToolMissing: helm"'),
        ("test_later", "skipped", "helm unavailable"),
    ]


def test_vitest_cases_are_read(tmp_path):
    (tmp_path / "junit-frontend.xml").write_text(VITEST)
    cases = junit.read(tmp_path / "junit-frontend.xml")
    assert [(c.id, c.outcome) for c in cases] == [
        ("test/api.test.ts::api > sends the token", "passed"), ("test/api.test.ts::api > retries", "failed")]
