"""deploykit.diagnose.report: the failing pods' causes at the top, then each container's previous
run and the failed probes; a healthy or empty release said so in one line."""

from deploykit.diagnose import report
from deploykit.testing.captured import (
    BAD_TAG,
    CRASH_LOOP,
    HEALTHY,
    NOT_READY,
    NOT_READY_EVENTS,
)


def test_headline_counts_the_failing_pods_and_names_them():
    text = report.render("todo", "release todo", [HEALTHY, BAD_TAG], [])

    assert text.startswith(f"Diagnostics of release todo in namespace todo: 2 pod(s), 1 failing "
                           f"({BAD_TAG['metadata']['name']})")


def test_lists_each_named_cause_under_likely_causes():
    text = report.render("todo", "release todo", [BAD_TAG, NOT_READY], NOT_READY_EVENTS)
    causes = text.split("Likely causes\n")[1].split("\n\n")[0]

    assert "bad image tag" in causes
    assert "readiness probe failing: GET /missing" in causes


def test_shows_the_previous_run_of_a_restarted_container():
    text = report.render("todo", None, [CRASH_LOOP], [])

    assert "crasher [app]: waiting (CrashLoopBackOff); previous run ended 2026-11-27T01:36:31Z: Error, exit code 3; " \
           "3 restart(s)" in text


def test_lists_failed_probes_from_the_events():
    text = report.render("todo", None, [NOT_READY], NOT_READY_EVENTS)

    assert "Readiness probe failed 15x" in text.split("Failed probes")[1]


def test_says_every_pod_is_fine_when_none_fails():
    text = report.render("todo", "release todo", [HEALTHY], [])

    assert "Likely causes\n  - none: every pod is running and ready" in text
    assert "0 failing" in text


def test_says_when_the_release_has_no_pods():
    assert "no pods found" in report.render("todo", "release gone", [], [])

