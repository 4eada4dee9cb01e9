from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account


def _create(client: TestClient, account: Account, **fields: object) -> dict:
    response = client.post("/api/tasks", json={"title": "Buy milk", **fields}, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_task_returns_new_pending_task(client: TestClient, alice: Account) -> None:
    task = _create(client, alice, description="2 litres")

    assert task["title"] == "Buy milk"
    assert task["description"] == "2 litres"
    assert task["completed"] is False
    assert isinstance(task["id"], int)
    created = datetime.fromisoformat(task["created_at"])
    assert created.utcoffset() is not None and created.utcoffset().total_seconds() == 0
    assert task["updated_at"] == task["created_at"]


def test_create_task_without_description_stores_null(client: TestClient, alice: Account) -> None:
    assert _create(client, alice)["description"] is None


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "a\u0000b"},
        {"title": "ok", "description": "d" * 2001},
        {"title": 5},
    ],
    ids=["missing_title", "empty_title", "long_title", "nul_in_title", "long_description", "non_string_title"],
)
def test_create_task_rejects_bad_input(client: TestClient, alice: Account, payload: dict) -> None:
    response = client.post("/api/tasks", json=payload, headers=alice.headers)

    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)
    assert response.json()["errors"]


def test_create_task_rejects_unencodable_text(client: TestClient, alice: Account) -> None:
    body = '{"title": "lone surrogate \\ud800"}'

    response = client.post("/api/tasks", content=body, headers={**alice.headers, "Content-Type": "application/json"})

    assert response.status_code == 422


def test_read_tasks_lists_own_tasks_oldest_first(client: TestClient, alice: Account) -> None:
    first, second = _create(client, alice, title="first"), _create(client, alice, title="second")

    response = client.get("/api/tasks", headers=alice.headers)

    assert response.status_code == 200
    assert [task["id"] for task in response.json()] == [first["id"], second["id"]]


@pytest.mark.parametrize(
    "status, expected_titles",
    [("all", ["open", "done"]), ("pending", ["open"]), ("completed", ["done"])],
)
def test_read_tasks_filters_by_status(client: TestClient, alice: Account, status: str, expected_titles: list) -> None:
    _create(client, alice, title="open")
    done = _create(client, alice, title="done")
    client.patch(f"/api/tasks/{done['id']}", json={"completed": True}, headers=alice.headers)

    response = client.get("/api/tasks", params={"status": status}, headers=alice.headers)

    assert [task["title"] for task in response.json()] == expected_titles


def test_read_tasks_rejects_unknown_status(client: TestClient, alice: Account) -> None:
    assert client.get("/api/tasks", params={"status": "someday"}, headers=alice.headers).status_code == 422


def test_read_task_returns_task(client: TestClient, alice: Account) -> None:
    task = _create(client, alice)

    assert client.get(f"/api/tasks/{task['id']}", headers=alice.headers).json() == task


@pytest.mark.parametrize("task_id", ["0", "2147483648", "abc"], ids=["zero", "beyond_int32", "not_a_number"])
def test_read_task_rejects_impossible_id(client: TestClient, alice: Account, task_id: str) -> None:
    assert client.get(f"/api/tasks/{task_id}", headers=alice.headers).status_code == 422


def test_read_task_answers_404_for_missing_task(client: TestClient, alice: Account) -> None:
    response = client.get("/api/tasks/424242", headers=alice.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "Task not found"}


def test_update_task_changes_only_given_fields(client: TestClient, alice: Account) -> None:
    task = _create(client, alice, description="keep me")

    response = client.patch(f"/api/tasks/{task['id']}", json={"completed": True}, headers=alice.headers)

    assert response.status_code == 200
    updated = response.json()
    assert updated["completed"] is True
    assert (updated["title"], updated["description"]) == ("Buy milk", "keep me")
    assert datetime.fromisoformat(updated["updated_at"]) >= datetime.fromisoformat(task["updated_at"])
    assert client.get(f"/api/tasks/{task['id']}", headers=alice.headers).json() == updated


def test_update_task_clears_description_given_null(client: TestClient, alice: Account) -> None:
    task = _create(client, alice, description="obsolete")

    response = client.patch(f"/api/tasks/{task['id']}", json={"description": None}, headers=alice.headers)

    assert response.json()["description"] is None


@pytest.mark.parametrize(
    "payload",
    [{"title": None}, {"completed": None}, {"title": ""}],
    ids=["null_title", "null_completed", "empty_title"],
)
def test_update_task_rejects_bad_input(client: TestClient, alice: Account, payload: dict) -> None:
    task = _create(client, alice)

    assert client.patch(f"/api/tasks/{task['id']}", json=payload, headers=alice.headers).status_code == 422


def test_delete_task_removes_it(client: TestClient, alice: Account) -> None:
    task = _create(client, alice)

    response = client.delete(f"/api/tasks/{task['id']}", headers=alice.headers)

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/tasks/{task['id']}", headers=alice.headers).status_code == 404


def test_delete_task_answers_404_for_missing_task(client: TestClient, alice: Account) -> None:
    assert client.delete("/api/tasks/424242", headers=alice.headers).status_code == 404
