"""One chat turn: let the model call task tools until it has an answer for the user."""

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app.ai_agent.llm_client import ChatCompletionsClient, tool_definition, tool_result_message
from app.models.chat import ToolCallRecord
from app.models.conversation import ChatMessage
from app.models.task import TaskEvent
from app.services.task_tools import TASK_TOOLS, ToolError, ToolOutcome, run_task_tool

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You are the assistant of a todo list app. Use the tools to add, list, complete, update and delete "
    "the user's tasks; never invent task ids, list the tasks first when unsure. "
    "After acting, confirm briefly what you did. Answer in the user's language."
)
# Bounds the cost of one message if the model keeps calling tools without concluding.
MAX_TOOL_ROUNDS = 6
GAVE_UP_REPLY = "Sorry, I could not finish that request. Please try rephrasing it."

TOOL_DEFINITIONS = [tool_definition(tool.name, tool.description, tool.input_schema()) for tool in TASK_TOOLS.values()]


@dataclass
class AgentTurn:
    reply: str
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    events: list[TaskEvent] = field(default_factory=list)


def run_agent_turn(
    *,
    llm: ChatCompletionsClient,
    session: Session,
    owner_id: int,
    history: list[ChatMessage],
    user_message: str,
) -> AgentTurn:
    messages: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM_PROMPT}]
    messages += [{"role": message.role, "content": message.content} for message in history]
    messages.append({"role": "user", "content": user_message})
    turn = AgentTurn(reply=GAVE_UP_REPLY)

    for _ in range(MAX_TOOL_ROUNDS):
        reply = llm.complete(messages, TOOL_DEFINITIONS)
        if not reply.tool_calls:
            turn.reply = reply.content or ""
            return turn
        messages.append(reply.as_message())
        for call in reply.tool_calls:
            arguments, outcome = _run_tool_call(call.name, call.arguments, session=session, owner_id=owner_id)
            turn.tool_calls.append(ToolCallRecord(name=call.name, arguments=arguments, result=outcome.result))
            turn.events.extend(outcome.events)
            messages.append(tool_result_message(call.id, outcome.result))

    logger.warning("chat turn gave up after %d tool rounds", MAX_TOOL_ROUNDS)
    return turn


def _run_tool_call(
    name: str, raw_arguments: str, *, session: Session, owner_id: int
) -> tuple[dict[str, Any], ToolOutcome]:
    """Run one tool call; mistakes become an error result the model can read and correct."""
    try:
        arguments = json.loads(raw_arguments)
    except ValueError:
        return {}, ToolOutcome({"error": f"Arguments for {name} are not valid JSON"})
    if not isinstance(arguments, dict):
        return {}, ToolOutcome({"error": f"Arguments for {name} must be a JSON object"})
    try:
        return arguments, run_task_tool(name, arguments, session=session, owner_id=owner_id)
    except ToolError as error:
        return arguments, ToolOutcome({"error": str(error)})
