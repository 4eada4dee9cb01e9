"""Live updates across replicas: on PostgreSQL every instance hears every change (LISTEN/NOTIFY).

Two app instances on one database stand in for two pods: a client connected to one must hear a
change made through the other, exactly once, and after the database comes back from an outage it
is told to resync. The same scenario with in-process fan-out shows what the tests guard against.
"""

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest

from app.core.config import Settings
from app.core.db import listener_conninfo
from app.core.migrate import upgrade_to_head
from app.main import create_app
from app.ws_manager import RESYNC_MESSAGE
from app.ws_manager.postgres import LISTENER_APPLICATION_NAME, MAX_NOTIFY_PAYLOAD_BYTES
from tests.conftest import PASSWORD, Account, make_settings
from tests.utils.app_server import AppServer
from tests.utils.postgres import PostgresServer, find_bin_dir
from tests.utils.ws_client import WebSocketClient

# The bound: a change made through one replica reaches a client on another within 1 s.
DELIVERY_BUDGET_SECONDS = 1.0
# The listener retries after 0.1, 0.2, 0.4 ... s (capped at 5 s); a restarted database is back in ~1 s.
RESYNC_BUDGET_SECONDS = 10.0

on_postgresql = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
_emails = (f"fanout{number}@example.com" for number in itertools.count(1))

StartInstances = Callable[..., list[AppServer]]


@pytest.fixture
def start_instances() -> Iterator[StartInstances]:
    started: list[AppServer] = []

    def start(settings: Settings, count: int = 2) -> list[AppServer]:
        for _ in range(count):
            server = AppServer(create_app(settings))
            server.start()
            started.append(server)
        return started[-count:]

    yield start
    for server in started:
        server.stop()


def _sign_up(instance: AppServer) -> Account:
    response = instance.http.post("/api/auth/signup", json={"email": next(_emails), "password": PASSWORD})
    assert response.status_code == 201, response.text
    body = response.json()
    return Account(id=body["user"]["id"], email=body["user"]["email"], token=body["access_token"])


def _create_task(instance: AppServer, account: Account, **fields: Any) -> dict[str, Any]:
    response = instance.http.post("/api/tasks", json=fields, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def _receive_within(websocket: WebSocketClient, seconds: float) -> tuple[Any, float]:
    started = time.monotonic()
    message = websocket.receive_json(timeout=seconds)
    return message, time.monotonic() - started


def _wait_for_readiness(instance: AppServer, status: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            current = instance.http.get("/readyz", timeout=2).status_code
        except httpx.TransportError:
            current = None
        if current == status:
            return
        assert time.monotonic() < deadline, f"/readyz answered {current}, not {status}, for {timeout} s"
        time.sleep(0.05)


@on_postgresql
def test_client_on_one_instance_hears_a_change_made_through_another(
    settings: Settings, start_instances: StartInstances
) -> None:
    a, b = start_instances(settings)
    alice = _sign_up(b)
    websocket = a.live_feed(alice.id, alice.token)

    started = time.monotonic()
    task = _create_task(b, alice, title="Made through B")
    message = websocket.receive_json(timeout=DELIVERY_BUDGET_SECONDS)
    elapsed = time.monotonic() - started

    assert message == {"type": "task.created", "task": task}
    print(f"cross-instance delivery: {elapsed * 1000:.1f} ms (request included)")
    websocket.close()


@on_postgresql
def test_each_client_hears_each_event_once(settings: Settings, start_instances: StartInstances) -> None:
    a, b = start_instances(settings)
    alice = _sign_up(a)
    bob = _sign_up(a)
    on_a, on_b = a.live_feed(alice.id, alice.token), b.live_feed(alice.id, alice.token)
    also_on_b = b.live_feed(alice.id, alice.token)

    first = _create_task(a, alice, title="First")
    _create_task(b, bob, title="Bob's, for nobody here")
    second = _create_task(b, alice, title="Second")
    updated = b.http.patch(f"/api/tasks/{first['id']}", json={"completed": True}, headers=alice.headers).json()

    expected = [
        {"type": "task.created", "task": first},
        {"type": "task.created", "task": second},
        {"type": "task.updated", "task": updated},
    ]
    for websocket in (on_a, on_b, also_on_b):
        # In order and without repeats: a duplicate or Bob's event would take one of these places.
        assert [websocket.receive_json(timeout=DELIVERY_BUDGET_SECONDS) for _ in expected] == expected
        with pytest.raises(TimeoutError):
            websocket.receive_json(timeout=0.3)
        websocket.close()


@on_postgresql
def test_event_too_large_for_notify_is_read_back(settings: Settings, start_instances: StartInstances) -> None:
    a, b = start_instances(settings)
    alice = _sign_up(b)
    websocket = a.live_feed(alice.id, alice.token)

    # 2000 euro signs are 12000 bytes once JSON escapes them: far past NOTIFY's 8000.
    task = _create_task(b, alice, title="Large", description="€" * 2000)
    message = websocket.receive_json(timeout=DELIVERY_BUDGET_SECONDS)

    assert message == {"type": "task.created", "task": task}
    assert len(task["description"].encode()) * 2 > MAX_NOTIFY_PAYLOAD_BYTES
    websocket.close()


@on_postgresql
def test_in_process_fan_out_misses_changes_made_through_another_instance(
    settings: Settings, start_instances: StartInstances
) -> None:
    """The check above, with fan-out turned back to in-process only (LIVE_UPDATES_FANOUT): the
    client hears nothing."""
    a, b = start_instances(settings.model_copy(update={"LIVE_UPDATES_FANOUT": "in-process"}))
    alice = _sign_up(b)
    websocket = a.live_feed(alice.id, alice.token)

    _create_task(b, alice, title="Made through B")

    with pytest.raises(TimeoutError):
        websocket.receive_json(timeout=DELIVERY_BUDGET_SECONDS)
    websocket.close()


@on_postgresql
def test_clients_resync_when_the_listener_loses_its_connection(
    settings: Settings, start_instances: StartInstances
) -> None:
    a, b = start_instances(settings)
    alice = _sign_up(a)
    on_a, on_b = a.live_feed(alice.id, alice.token), b.live_feed(alice.id, alice.token)

    with psycopg.connect(listener_conninfo(settings), autocommit=True) as admin:
        terminated = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (LISTENER_APPLICATION_NAME,),
        ).fetchall()
    assert len(terminated) == 2, "expected one listening connection per instance"

    for websocket in (on_a, on_b):
        assert websocket.receive_json(timeout=RESYNC_BUDGET_SECONDS) == RESYNC_MESSAGE
    task = _create_task(b, alice, title="After the reconnect")
    assert on_a.receive_json(timeout=DELIVERY_BUDGET_SECONDS) == {"type": "task.created", "task": task}
    on_a.close()
    on_b.close()


@pytest.fixture
def own_postgres(postgresql_url: str) -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own (asking for postgresql_url skips or fails like the others when
    the binaries are missing), so restarting it disturbs no other test."""
    bin_dir = find_bin_dir()
    assert bin_dir is not None
    server = PostgresServer(bin_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_clients_resync_after_a_database_restart(own_postgres: PostgresServer, start_instances: StartInstances) -> None:
    settings = make_settings(own_postgres.url)
    upgrade_to_head(settings)
    a, b = start_instances(settings)
    alice = _sign_up(a)
    on_a, on_b = a.live_feed(alice.id, alice.token), b.live_feed(alice.id, alice.token)

    own_postgres.pause()
    for instance in (a, b):
        _wait_for_readiness(instance, 503, timeout=10)
        assert not instance.app.state.connection_manager.is_ready
    restarted = time.monotonic()
    own_postgres.resume()

    for websocket in (on_a, on_b):
        message, _ = _receive_within(websocket, RESYNC_BUDGET_SECONDS)
        assert message == RESYNC_MESSAGE
    resynced = time.monotonic() - restarted
    for instance in (a, b):
        _wait_for_readiness(instance, 200, timeout=RESYNC_BUDGET_SECONDS)
    task = _create_task(b, alice, title="After the restart")
    assert on_a.receive_json(timeout=DELIVERY_BUDGET_SECONDS) == {"type": "task.created", "task": task}
    print(f"resync after database restart: {resynced * 1000:.0f} ms after the server was back")
    on_a.close()
    on_b.close()
