"""The MCP server offers the same task tools as the chat agent, scoped to one account."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.core.config import Settings
from app.core.db import create_database_engine, create_session_factory
from app.core.migrate import upgrade_to_head
from app.mcp_server.server import create_server
from app.models.user import Credentials
from app.services.task_tools import TASK_TOOLS
from app.services.users import create_user
from tests.conftest import PASSWORD, make_settings

BACKEND_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def session_factory(clean_database: str) -> Iterator[sessionmaker[Session]]:
    engine = create_database_engine(make_settings(clean_database))
    yield create_session_factory(engine)
    engine.dispose()


def _new_user(session_factory: sessionmaker[Session], email: str) -> int:
    with session_factory() as session:
        user = create_user(session=session, credentials=Credentials(email=email, password=PASSWORD))
    assert user.id is not None
    return user.id


@pytest.fixture
async def client(session_factory: sessionmaker[Session]) -> AsyncIterator[Client]:
    owner_id = _new_user(session_factory, "mcp@example.com")
    async with Client(create_server(session_factory=session_factory, owner_id=owner_id, version="test")) as client:
        yield client


async def test_list_tools_offers_the_task_tools(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}

    assert set(tools) == set(TASK_TOOLS)
    assert tools["add_task"].input_schema["required"] == ["title"]


async def test_call_tool_adds_and_lists_tasks(client: Client) -> None:
    added = await client.call_tool("add_task", {"title": "From MCP"})
    listed = await client.call_tool("list_tasks", {"status": "pending"})

    assert not added.is_error
    assert added.structured_content["task"]["title"] == "From MCP"
    assert listed.structured_content == {"tasks": [added.structured_content["task"]]}


async def test_call_tool_reports_mistakes_inside_the_result(client: Client) -> None:
    result = await client.call_tool("complete_task", {"task_id": 999})

    assert result.is_error
    assert result.structured_content == {"error": "Task 999 not found"}


async def test_call_tool_cannot_reach_other_users_tasks(client: Client, session_factory: sessionmaker[Session]) -> None:
    other_id = _new_user(session_factory, "other@example.com")
    other_server = create_server(session_factory=session_factory, owner_id=other_id, version="test")
    async with Client(other_server) as other:
        task = (await other.call_tool("add_task", {"title": "not yours"})).structured_content["task"]

    result = await client.call_tool("delete_task", {"task_id": task["id"]})

    assert result.is_error
    assert (await client.call_tool("list_tasks", {})).structured_content == {"tasks": []}


# The stdio tests start a real process; the database behind it does not matter, so SQLite only.
@pytest.fixture
def sqlite_database(tmp_path: Path) -> str:
    database_url = f"sqlite:///{tmp_path / 'mcp.db'}"
    upgrade_to_head(make_settings(database_url))
    return database_url


def _server_environment(database_url: str, email: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in Settings.model_fields}
    return {**environment, "DATABASE_URL": database_url, "MCP_USER_EMAIL": email}


async def test_server_runs_over_stdio(sqlite_database: str) -> None:
    engine = create_database_engine(make_settings(sqlite_database))
    _new_user(create_session_factory(engine), "stdio@example.com")
    engine.dispose()
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "app.mcp_server"],
        cwd=BACKEND_DIR,
        env=_server_environment(sqlite_database, "stdio@example.com"),
    )

    async with Client(parameters) as client:
        result = await client.call_tool("add_task", {"title": "over stdio"})

    assert result.structured_content["task"]["title"] == "over stdio"


def test_server_exits_with_one_line_for_unknown_account(sqlite_database: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.mcp_server"],
        cwd=BACKEND_DIR,
        env=_server_environment(sqlite_database, "nobody@example.com"),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "configuration error: MCP_USER_EMAIL: no account with email 'nobody@example.com'; sign up first"
    ]
