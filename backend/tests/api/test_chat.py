"""The chat endpoint drives an OpenAI-compatible model (a local test double) that calls the task tools."""

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app
from tests.conftest import Account, make_settings
from tests.utils.fake_llm import FakeChatModel, HttpError, text_reply, tool_call_reply
from tests.utils.network import free_loopback_port


def _chat(client: TestClient, account: Account, message: str, **fields: object):
    return client.post("/api/chat", json={"message": message, **fields}, headers=account.headers)


def test_chat_adds_task_through_tool_call(client: TestClient, alice: Account, fake_llm: FakeChatModel) -> None:
    fake_llm.script(
        tool_call_reply(("add_task", {"title": "Call mom", "description": "Sunday"})),
        text_reply("Added 'Call mom' to your list."),
    )

    response = _chat(client, alice, "Remind me to call mom on Sunday")

    assert response.status_code == 200
    body = response.json()
    assert body["reply"] == "Added 'Call mom' to your list."
    [call] = body["tool_calls"]
    assert call["name"] == "add_task"
    assert call["arguments"] == {"title": "Call mom", "description": "Sunday"}
    [task] = body["tasks_changed"]
    assert (task["title"], task["description"], task["completed"]) == ("Call mom", "Sunday", False)
    assert call["result"] == {"task": task}
    assert client.get("/api/tasks", headers=alice.headers).json() == [task]


def test_chat_sends_model_tools_and_credentials(client: TestClient, alice: Account, fake_llm: FakeChatModel) -> None:
    _chat(client, alice, "hello")

    [request] = fake_llm.requests
    assert fake_llm.authorizations == ["Bearer test-key"]
    assert request["model"] == "test-model"
    assert request["messages"][0]["role"] == "system"
    assert request["messages"][-1] == {"role": "user", "content": "hello"}
    tool_names = {tool["function"]["name"] for tool in request["tools"]}
    assert tool_names == {"add_task", "list_tasks", "complete_task", "update_task", "delete_task"}


def test_chat_returns_tool_results_to_model(client: TestClient, alice: Account, fake_llm: FakeChatModel) -> None:
    task = client.post("/api/tasks", json={"title": "Water plants"}, headers=alice.headers).json()
    fake_llm.script(tool_call_reply(("complete_task", {"task_id": task["id"]})), text_reply("Done!"))

    body = _chat(client, alice, "I watered the plants").json()

    second_request = fake_llm.requests[1]["messages"]
    assert second_request[-2]["tool_calls"][0]["function"]["name"] == "complete_task"
    assert second_request[-1]["role"] == "tool"
    assert second_request[-1]["tool_call_id"] == "call_0"
    [changed] = body["tasks_changed"]
    assert changed["completed"] is True


def test_chat_reports_deleted_task_in_tool_calls_only(
    client: TestClient, alice: Account, fake_llm: FakeChatModel
) -> None:
    task = client.post("/api/tasks", json={"title": "Old"}, headers=alice.headers).json()
    fake_llm.script(tool_call_reply(("delete_task", {"task_id": task["id"]})), text_reply("Deleted."))

    body = _chat(client, alice, "delete the old task").json()

    assert body["tasks_changed"] == []
    assert body["tool_calls"][0]["result"]["deleted"]["id"] == task["id"]
    assert client.get("/api/tasks", headers=alice.headers).json() == []


@pytest.mark.parametrize(
    "name, arguments, expected_error",
    [
        ("add_task", "{not json", "Arguments for add_task are not valid JSON"),
        ("add_task", {"title": ""}, "Invalid arguments for add_task: title:"),
        ("add_task", {"title": "x", "owner_id": 2}, "Invalid arguments for add_task: owner_id:"),
        ("drop_database", {}, "Unknown tool 'drop_database'"),
    ],
    ids=["malformed_json", "invalid_title", "smuggled_owner", "unknown_tool"],
)
def test_chat_feeds_tool_errors_back_to_model(
    client: TestClient, alice: Account, fake_llm: FakeChatModel, name: str, arguments: object, expected_error: str
) -> None:
    fake_llm.script(tool_call_reply((name, arguments)), text_reply("Sorry, something went wrong."))

    response = _chat(client, alice, "do something odd")

    assert response.status_code == 200
    assert response.json()["tool_calls"][0]["result"]["error"].startswith(expected_error)
    assert expected_error in fake_llm.requests[1]["messages"][-1]["content"]
    assert client.get("/api/tasks", headers=alice.headers).json() == []


def test_chat_continues_conversation_with_history(client: TestClient, alice: Account, fake_llm: FakeChatModel) -> None:
    fake_llm.script(text_reply("Hi Alice!"), text_reply("You said hello."))
    first = _chat(client, alice, "Hello, I am Alice").json()

    second = _chat(client, alice, "What did I say?", conversation_id=first["conversation_id"]).json()

    assert second["conversation_id"] == first["conversation_id"]
    replayed = [(m["role"], m["content"]) for m in fake_llm.requests[1]["messages"][1:]]
    assert replayed == [("user", "Hello, I am Alice"), ("assistant", "Hi Alice!"), ("user", "What did I say?")]


def test_chat_starts_new_conversation_without_id(client: TestClient, alice: Account, fake_llm: FakeChatModel) -> None:
    first = _chat(client, alice, "one").json()["conversation_id"]
    second = _chat(client, alice, "two").json()["conversation_id"]

    assert first != second
    assert len(fake_llm.requests[1]["messages"]) == 2  # system prompt and the new message only


def test_chat_answers_404_for_unknown_conversation(client: TestClient, alice: Account) -> None:
    response = _chat(client, alice, "hi", conversation_id="0" * 32)

    assert response.status_code == 404


def test_chat_gives_up_when_model_never_concludes(client: TestClient, alice: Account, fake_llm: FakeChatModel) -> None:
    fake_llm.script(*[tool_call_reply(("list_tasks", {}))] * 10)

    response = _chat(client, alice, "loop forever")

    assert response.status_code == 200
    assert response.json()["reply"].startswith("Sorry")
    assert len(fake_llm.requests) == 6


@pytest.mark.parametrize("status", [401, 429, 500], ids=["rejected_key", "rate_limited", "server_error"])
def test_chat_answers_502_when_model_fails(
    client: TestClient, alice: Account, fake_llm: FakeChatModel, status: int
) -> None:
    fake_llm.script(HttpError(status))

    response = _chat(client, alice, "hello")

    assert response.status_code == 502
    assert response.json() == {"detail": f"Chat model request failed: the model endpoint answered HTTP {status}"}


def test_chat_answers_502_when_model_unreachable(settings: Settings, alice: Account) -> None:
    unreachable = settings.model_copy(update={"OPENAI_BASE_URL": f"http://127.0.0.1:{free_loopback_port()}/v1"})
    with TestClient(create_app(unreachable)) as client:
        response = _chat(client, alice, "hello")

    assert response.status_code == 502
    assert "could not reach the model endpoint" in response.json()["detail"]


def test_chat_answers_503_without_api_key(clean_database: str) -> None:
    with TestClient(create_app(make_settings(clean_database))) as client:
        token = client.post("/api/auth/signup", json={"email": "c@example.com", "password": "long enough"}).json()
        response = client.post(
            "/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {token['access_token']}"}
        )

    assert response.status_code == 503
    assert response.json() == {"detail": "Chat is unavailable: OPENAI_API_KEY is not configured"}


def test_chat_requires_token(client: TestClient) -> None:
    assert client.post("/api/chat", json={"message": "hello"}).status_code == 401
