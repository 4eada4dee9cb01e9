"""The frontend reaches the backend the way the chart wires them: on a user-defined network,
nginx proxies /api/ to the backend container named in BACKEND_URL (a Service name in a pod)."""

import requests

from deploykit.foundation.waits import wait_until
from deploykit.testing.asserts import assert_status


def test_proxies_api_requests_to_the_backend_by_name(app_pair):
    response = requests.get(app_pair.frontend.url("/api/health"), timeout=5)
    assert_status(response, 200, app_pair.frontend, app_pair.backend)
    assert response.json() == {"status": "ok"}


def test_passes_its_request_id_to_the_backend(app_pair):
    response = requests.get(app_pair.frontend.url("/api/health"), timeout=5)
    # nginx and the backend each echo the id; requests joins repeated headers with ", "
    request_id = response.headers.get("X-Request-ID", "").split(",")[0].strip()
    assert request_id, "the frontend sent no X-Request-ID back"
    # The backend logs a request once it has answered it, so the line may lag the response a little.
    wait_until(lambda: request_id in app_pair.backend.last_log_lines(), what=f"request id {request_id} in the "
               "backend's logs", timeout=5, hint="nginx did not pass X-Request-ID on")
