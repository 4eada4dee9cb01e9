"""The real server process: WebSockets through uvicorn, and graceful shutdown (SIGTERM drains, exits 0)."""

import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.utils.server_process import ServerProcess
from tests.utils.ws_client import WebSocketClient, WebSocketClosed


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    servers: list[ServerProcess] = []

    def start(**settings: str) -> ServerProcess:
        server = ServerProcess(DATABASE_URL=f"sqlite:///{tmp_path / 'todo.db'}", DEBUG_SLOW_ENDPOINT="true", **settings)
        servers.append(server)
        server.wait_until_live()
        return server

    yield start
    for server in servers:
        server.kill()


def _wait_for_requests_in_flight(server: ServerProcess, count: int) -> None:
    """Block until `count` requests besides the metrics scrape itself are being served."""
    deadline = time.monotonic() + 10
    while f"http_requests_in_flight {count + 1}.0" not in httpx.get(server.url("/metrics")).text:
        assert time.monotonic() < deadline, "slow request never reached the server"
        time.sleep(0.05)


def test_sigterm_lets_in_flight_request_finish_and_exits_zero(start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(SHUTDOWN_GRACE_SECONDS="10")
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(httpx.get, server.url("/api/debug/slow?seconds=2"), timeout=30)
        _wait_for_requests_in_flight(server, 1)

        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        with pytest.raises(httpx.ConnectError):  # draining: no new connections
            httpx.get(server.url("/healthz"), timeout=2)
        response = slow.result()

    assert response.status_code == 200
    assert response.json() == {"slept": 2.0}
    assert server.process.wait(timeout=15) == 0
    output = server.output()
    assert "Waiting for connections to close" in output
    assert "Application shutdown complete" in output


def test_sigterm_gives_up_on_requests_beyond_grace_period(start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(SHUTDOWN_GRACE_SECONDS="1")
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(httpx.get, server.url("/api/debug/slow?seconds=30"), timeout=30)
        _wait_for_requests_in_flight(server, 1)

        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        exit_code = server.process.wait(timeout=15)
        stopped_after = time.monotonic() - signalled
        with pytest.raises(httpx.HTTPError):
            slow.result().raise_for_status()

    assert exit_code == 0
    assert stopped_after < 10
    assert "timeout graceful shutdown exceeded" in server.output()


def test_real_server_pushes_task_changes_over_websocket(start_server: Callable[..., ServerProcess]) -> None:
    server = start_server()
    signup = httpx.post(server.url("/api/auth/signup"), json={"email": "ws@example.com", "password": "long enough"})
    token = signup.json()["access_token"]
    websocket = WebSocketClient(server.port, f"/api/ws?token={token}")
    try:
        # No wait needed: the server registers the socket right after accepting it, before it can
        # serve the next request.
        task = httpx.post(
            server.url("/api/tasks"), json={"title": "pushed"}, headers={"Authorization": f"Bearer {token}"}
        ).json()

        assert websocket.receive_json() == {"type": "task.created", "task": task}
    finally:
        websocket.close()


def test_real_server_closes_websocket_with_4401_for_bad_token(start_server: Callable[..., ServerProcess]) -> None:
    websocket = WebSocketClient(start_server().port, "/api/ws?token=forged")
    try:
        with pytest.raises(WebSocketClosed) as closed:
            websocket.receive_json()
    finally:
        websocket.close()

    assert closed.value.code == 4401


def test_debug_endpoint_is_absent_by_default(client: TestClient) -> None:
    assert client.get("/api/debug/slow?seconds=0").status_code == 404
