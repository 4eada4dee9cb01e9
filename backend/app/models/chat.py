from typing import Annotated, Any

from pydantic import StringConstraints
from sqlmodel import SQLModel

from app.models.common import NO_NUL_PATTERN, UTF8_ONLY
from app.models.task import TaskPublic

CONVERSATION_ID_PATTERN = r"^[0-9a-f]{32}$"


class ChatRequest(SQLModel):
    message: Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=NO_NUL_PATTERN), UTF8_ONLY]
    conversation_id: Annotated[str, StringConstraints(pattern=CONVERSATION_ID_PATTERN)] | None = None


class ToolCallRecord(SQLModel):
    name: str
    arguments: dict[str, Any]
    result: Any


class ChatResponse(SQLModel):
    reply: str
    conversation_id: str
    tool_calls: list[ToolCallRecord]
    # Created or updated tasks in their final state; deletions appear in tool_calls and on the WebSocket.
    tasks_changed: list[TaskPublic]
