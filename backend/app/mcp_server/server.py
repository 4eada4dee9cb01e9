"""The task tools (app.services.task_tools) served through the official MCP SDK's low-level server."""

import json
from functools import partial
from typing import Any

import anyio
import mcp_types as types
from mcp.server import Server
from pydantic import Field
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.core.config import Settings
from app.services.task_tools import TASK_TOOLS, ToolError, ToolOutcome, run_task_tool
from app.services.users import get_user_by_email

SERVER_NAME = "todo-tasks"


class McpSettings(Settings):
    MCP_USER_EMAIL: str = Field(min_length=3)


class UnknownUserError(Exception):
    pass


def resolve_owner(session_factory: sessionmaker[Session], email: str) -> int:
    with session_factory() as session:
        user = get_user_by_email(session=session, email=email)
    if user is None or user.id is None:
        raise UnknownUserError(f"MCP_USER_EMAIL: no account with email {email!r}; sign up first")
    return user.id


def _tool_result(result: dict[str, Any], *, is_error: bool = False) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(text=json.dumps(result))], structured_content=result, is_error=is_error
    )


def create_server(*, session_factory: sessionmaker[Session], owner_id: int, version: str) -> Server:
    """An MCP server whose tools act on `owner_id`'s tasks only."""

    def run_tool(name: str, arguments: dict[str, Any]) -> ToolOutcome:
        with session_factory() as session:
            return run_task_tool(name, arguments, session=session, owner_id=owner_id)

    async def list_tools(_ctx: Any, _params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(
            tools=[
                types.Tool(name=tool.name, description=tool.description, input_schema=tool.input_schema())
                for tool in TASK_TOOLS.values()
            ]
        )

    async def call_tool(_ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        try:
            outcome = await anyio.to_thread.run_sync(partial(run_tool, params.name, params.arguments or {}))
        except ToolError as error:
            # Reported inside the result, as MCP asks, so the model can read it and correct itself.
            return _tool_result({"error": str(error)}, is_error=True)
        return _tool_result(outcome.result)

    return Server(
        SERVER_NAME,
        version=version,
        instructions="Manage one user's todo list: add, list, complete, update and delete tasks.",
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
