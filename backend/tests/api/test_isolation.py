"""A user can never see or change another user's tasks: to them, the task does not exist."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.utils.fake_llm import FakeChatModel, text_reply, tool_call_reply


@pytest.fixture
def alices_task(client: TestClient, alice: Account) -> dict:
    return client.post("/api/tasks", json={"title": "Alice's secret"}, headers=alice.headers).json()


def _unchanged(client: TestClient, alice: Account, task: dict) -> bool:
    return client.get(f"/api/tasks/{task['id']}", headers=alice.headers).json() == task


def test_read_tasks_excludes_other_users_tasks(client: TestClient, alices_task: dict, bob: Account) -> None:
    assert client.get("/api/tasks", headers=bob.headers).json() == []


def test_read_task_hides_other_users_task(client: TestClient, alices_task: dict, bob: Account) -> None:
    response = client.get(f"/api/tasks/{alices_task['id']}", headers=bob.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "Task not found"}


def test_update_task_cannot_change_other_users_task(
    client: TestClient, alice: Account, alices_task: dict, bob: Account
) -> None:
    response = client.patch(f"/api/tasks/{alices_task['id']}", json={"title": "pwned"}, headers=bob.headers)

    assert response.status_code == 404
    assert _unchanged(client, alice, alices_task)


def test_delete_task_cannot_remove_other_users_task(
    client: TestClient, alice: Account, alices_task: dict, bob: Account
) -> None:
    assert client.delete(f"/api/tasks/{alices_task['id']}", headers=bob.headers).status_code == 404
    assert _unchanged(client, alice, alices_task)


def test_chat_tools_cannot_touch_other_users_task(
    client: TestClient, alice: Account, alices_task: dict, bob: Account, fake_llm: FakeChatModel
) -> None:
    task_id = alices_task["id"]
    fake_llm.script(
        tool_call_reply(("delete_task", {"task_id": task_id}), ("complete_task", {"task_id": task_id})),
        tool_call_reply(("list_tasks", {})),
        text_reply("I could not find that task."),
    )

    response = client.post("/api/chat", json={"message": f"delete task {task_id}"}, headers=bob.headers)

    assert response.status_code == 200
    results = [call["result"] for call in response.json()["tool_calls"]]
    assert results == [{"error": f"Task {task_id} not found"}, {"error": f"Task {task_id} not found"}, {"tasks": []}]
    assert response.json()["tasks_changed"] == []
    assert _unchanged(client, alice, alices_task)


def test_chat_cannot_resume_other_users_conversation(
    client: TestClient, alice: Account, bob: Account, fake_llm: FakeChatModel
) -> None:
    conversation_id = client.post("/api/chat", json={"message": "hi"}, headers=alice.headers).json()["conversation_id"]

    response = client.post("/api/chat", json={"message": "hi", "conversation_id": conversation_id}, headers=bob.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "Conversation not found"}
