"""A person uses the Todo Chatbot in a real headless Chromium: the frontend image, published on
127.0.0.1, proxies to the backend image on a user-defined network. The journey itself lives in
deploykit/containers/journey.py and takes a base URL, so the cluster layer runs the same one through a
port-forward."""

import pytest

from deploykit.containers.journey import run_journey
from deploykit.foundation.errors import JourneyFailed


@pytest.fixture(scope="module")
def journey(e2e_browser, app_pair):
    """One journey shared by this module's tests; a failed step fails them all with both logs."""
    try:
        report = run_journey(e2e_browser, app_pair.frontend.url())
    except JourneyFailed as exc:
        logs = "".join(f"\n--- {c.describe()}, last log lines ---\n{c.last_log_lines()}"
                       for c in (app_pair.frontend, app_pair.backend))
        pytest.fail(f"{exc}{logs}", pytrace=False)
    print(f"e2e journey against {report.base_url}: {report.seconds:.1f} s")
    return report


def test_person_signs_up_adds_a_task_and_still_sees_it_after_a_reload(journey):
    assert {"sign up", "add a task and see it", "reload and still see the task"} <= set(journey.steps_passed)


def test_live_updates_connect_through_the_frontend_websocket_proxy(journey):
    assert "connect live updates" in journey.steps_passed


def test_chat_panel_says_clearly_that_chat_is_unavailable(journey):
    assert "unavailable" in journey.chat_notice.lower(), journey.chat_notice


def test_pages_work_under_their_content_security_policy(journey):
    assert journey.csp_violations == []
