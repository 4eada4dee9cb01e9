"""Probes: liveness never needs the database; readiness needs it and turns false once shutdown begins."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app
from tests.conftest import make_settings
from tests.utils.network import free_loopback_port

READINESS_PATHS = ["/readyz", "/health", "/api/health"]


@pytest.fixture
def client_without_database() -> Iterator[TestClient]:
    # Nothing listens on this port: the database is down.
    settings = make_settings(f"postgresql://nobody@127.0.0.1:{free_loopback_port()}/todo?connect_timeout=1")
    with TestClient(create_app(settings)) as client:
        yield client


def test_liveness_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_liveness_answers_ok_without_database(client_without_database: TestClient) -> None:
    assert client_without_database.get("/healthz").status_code == 200


@pytest.mark.parametrize("path", READINESS_PATHS)
def test_readiness_answers_ok_with_database(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_health_reports_version(client: TestClient, settings: Settings) -> None:
    assert client.get("/health").json() == {"status": "ok", "version": settings.APP_VERSION}


@pytest.mark.parametrize("path", READINESS_PATHS)
def test_readiness_answers_503_without_database(client_without_database: TestClient, path: str) -> None:
    response = client_without_database.get(path)

    assert response.status_code == 503
    assert response.json() == {"detail": "Database is unreachable"}


@pytest.mark.parametrize("path", READINESS_PATHS)
def test_readiness_answers_503_once_shutdown_begins(client: TestClient, app: FastAPI, path: str) -> None:
    app.state.shutting_down = True  # what DrainingServer does on SIGTERM

    response = client.get(path)

    assert response.status_code == 503
    assert response.json() == {"detail": "Shutting down"}
    assert client.get("/healthz").status_code == 200


def test_readiness_turns_false_when_lifespan_ends(app: FastAPI) -> None:
    with TestClient(app):
        assert app.state.shutting_down is False

    assert app.state.shutting_down is True


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/healthz")
    client.get("/api/tasks/1")
    client.get("/no/such/path")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert 'http_requests_total{method="GET",route="/api/tasks/{task_id}",status="401"} 1.0' in text
    assert 'http_requests_total{method="GET",route="<unmatched>",status="404"} 1.0' in text
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}' in text
    assert "http_requests_in_flight 1.0" in text  # the scrape itself
