"""The WebSocket at /api/ws pushes the caller's own task changes, and nobody else's."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from tests.conftest import Account
from tests.utils.fake_llm import FakeChatModel, text_reply, tool_call_reply


@contextmanager
def _live_feed(client: TestClient, app: FastAPI, account: Account) -> Iterator[WebSocketTestSession]:
    manager = app.state.connection_manager
    with client.websocket_connect(f"/api/ws?token={account.token}") as websocket:
        # Registration happens just after the handshake; wait for it so no event can be missed.
        deadline = time.monotonic() + 5
        while manager.connection_count(account.id) == 0:
            assert time.monotonic() < deadline, "websocket was never registered"
            time.sleep(0.01)
        yield websocket


def test_live_feed_pushes_task_lifecycle(client: TestClient, app: FastAPI, alice: Account) -> None:
    with _live_feed(client, app, alice) as websocket:
        task = client.post("/api/tasks", json={"title": "Live"}, headers=alice.headers).json()
        updated = client.patch(f"/api/tasks/{task['id']}", json={"completed": True}, headers=alice.headers).json()
        client.delete(f"/api/tasks/{task['id']}", headers=alice.headers)

        events = [websocket.receive_json() for _ in range(3)]

    assert events == [
        {"type": "task.created", "task": task},
        {"type": "task.updated", "task": updated},
        {"type": "task.deleted", "task": updated},
    ]


def test_live_feed_pushes_changes_made_by_chat(
    client: TestClient, app: FastAPI, alice: Account, fake_llm: FakeChatModel
) -> None:
    fake_llm.script(tool_call_reply(("add_task", {"title": "From chat"})), text_reply("Added."))
    with _live_feed(client, app, alice) as websocket:
        [task] = client.post("/api/chat", json={"message": "add it"}, headers=alice.headers).json()["tasks_changed"]

        assert websocket.receive_json() == {"type": "task.created", "task": task}


def test_live_feed_excludes_other_users_changes(client: TestClient, app: FastAPI, alice: Account, bob: Account) -> None:
    with _live_feed(client, app, alice) as websocket:
        client.post("/api/tasks", json={"title": "Bob's"}, headers=bob.headers)
        mine = client.post("/api/tasks", json={"title": "Alice's"}, headers=alice.headers).json()

        # Events arrive in order, so the first one being Alice's proves Bob's was never sent.
        assert websocket.receive_json() == {"type": "task.created", "task": mine}


@pytest.mark.parametrize("token", ["", "not-a-token"], ids=["missing", "invalid"])
def test_live_feed_closes_with_4401_for_bad_token(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/api/ws?token={token}") as websocket:
        with pytest.raises(WebSocketDisconnect) as closed:
            websocket.receive_json()

    assert closed.value.code == 4401


def test_live_feed_forgets_closed_connections(client: TestClient, app: FastAPI, alice: Account) -> None:
    with _live_feed(client, app, alice):
        pass

    deadline = time.monotonic() + 5
    while app.state.connection_manager.connection_count(alice.id):
        assert time.monotonic() < deadline, "closed websocket is still registered"
        time.sleep(0.01)
