"""Stopping a container lets the request it is answering finish, then the container exits 0
within the grace period (limits.GRACEFUL_STOP_TIMEOUT, after which `docker stop` kills): the
backend on SIGTERM (uvicorn drains), the frontend on its STOPSIGNAL SIGQUIT (nginx's graceful
shutdown) while it proxies the request to the backend. Figures: build/artifacts/container-shutdown.json.
"""

from deploykit.containers import running as containers
from deploykit.foundation import artifacts, limits
from deploykit.testing.asserts import assert_graceful, failing_on_container_errors

SLOW_REQUEST_S = 3
SLOW_PATH = f"/api/debug/slow?seconds={SLOW_REQUEST_S}"


def record(component: str, outcome: containers.StopOutcome) -> None:
    print(f"{component}: stop signal to exit {outcome.exit_code} in {outcome.stop_seconds:.2f} s with a "
          f"{SLOW_REQUEST_S} s request in flight (HTTP {outcome.request_status})")
    artifacts.record("container-shutdown", component, {
        "stop_seconds": round(outcome.stop_seconds, 3), "exit_code": outcome.exit_code,
        "request_status": outcome.request_status, "slow_request_s": SLOW_REQUEST_S,
        "grace_period_s": limits.GRACEFUL_STOP_TIMEOUT, "measured_at": artifacts.now(),
    })


def test_backend_finishes_an_in_flight_request_on_sigterm_and_exits_0(docker_client, project_images, run_specs):
    with failing_on_container_errors(), containers.running(
        docker_client, project_images["backend"], run_specs["backend"], environment={"DEBUG_SLOW_ENDPOINT": "true"}
    ) as backend:
        containers.wait_healthy(backend)
        outcome = containers.stop_with_request_in_flight(backend, backend.url(SLOW_PATH))
    record("backend", outcome)
    assert_graceful(outcome, "backend stopped with SIGTERM during a request")


def test_frontend_finishes_a_proxied_in_flight_request_on_sigquit_and_exits_0(
    docker_client, project_images, run_specs, app_pair
):
    with failing_on_container_errors(), containers.running(
        docker_client, project_images["frontend"], run_specs["frontend"],
        environment={"BACKEND_URL": app_pair.backend_url}, network=app_pair.network,
    ) as frontend:
        containers.wait_healthy(frontend)
        outcome = containers.stop_with_request_in_flight(frontend, frontend.url(SLOW_PATH))
    record("frontend", outcome)
    assert_graceful(outcome, "frontend stopped with its STOPSIGNAL during a proxied request")
