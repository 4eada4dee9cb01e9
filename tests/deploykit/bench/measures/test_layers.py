"""A test layer's outcome comes from the JUnit XML pytest writes."""

from deploykit.bench.measures.layers import LayerRun, junit_outcome

JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="2"
 skipped="3" tests="60" time="45.9"></testsuite></testsuites>"""


def test_junit_outcome_reads_the_totals():
    assert junit_outcome(JUNIT) == {"tests": 60, "failures": 2, "errors": 1, "skipped": 3}


def test_layer_run_with_failures_did_not_pass():
    run = LayerRun("container", 47.5, junit_outcome(JUNIT))
    assert not run.passed
    assert run.describe() == "54 passed, 2 failed, 1 errors, 3 skipped"


def test_layer_run_without_tests_did_not_pass():
    assert not LayerRun("cluster", 1.0, {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}).passed
