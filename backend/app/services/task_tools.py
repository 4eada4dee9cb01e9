"""The task operations offered to language models as tools.

One catalogue serves both the chat agent (as OpenAI function tools) and the MCP server, so the
two can never drift apart. Every tool runs for one owner, fixed by the caller, never by the model.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from app.models.common import MAX_ID
from app.models.task import Description, TaskCreate, TaskEvent, TaskPublic, TaskStatus, TaskUpdate, Title
from app.services import tasks

TaskId = Annotated[int, Field(ge=1, le=MAX_ID, description="The task's id, as shown by list_tasks")]


class ToolArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddTaskArguments(ToolArguments):
    title: Title = Field(description="Short title of the task")
    description: Description | None = Field(default=None, description="Optional details")


class ListTasksArguments(ToolArguments):
    # A Literal (not the enum) keeps the JSON schema inline, which every model provider accepts.
    status: Literal["all", "pending", "completed"] = Field(default="all", description="Which tasks to list")


class TaskIdArguments(ToolArguments):
    task_id: TaskId


class UpdateTaskArguments(ToolArguments):
    task_id: TaskId
    title: Title | None = Field(default=None, description="New title, if it changes")
    description: Description | None = Field(default=None, description="New details, if they change")
    completed: bool | None = Field(default=None, description="New completion state, if it changes")


@dataclass
class ToolOutcome:
    result: dict[str, Any]
    events: list[TaskEvent] = field(default_factory=list)


class ToolError(Exception):
    """The model asked for something impossible; the message is shown to the model so it can recover."""


Handler = Callable[[Session, int, Any], ToolOutcome]


@dataclass(frozen=True)
class TaskTool:
    name: str
    description: str
    arguments: type[ToolArguments]
    handler: Handler

    def input_schema(self) -> dict[str, Any]:
        return self.arguments.model_json_schema()


def _public(task: Any) -> TaskPublic:
    return TaskPublic.model_validate(task)


def _add_task(session: Session, owner_id: int, arguments: AddTaskArguments) -> ToolOutcome:
    task_create = TaskCreate(title=arguments.title, description=arguments.description)
    task = _public(tasks.create_task(session=session, owner_id=owner_id, task_create=task_create))
    return ToolOutcome({"task": task.model_dump(mode="json")}, [TaskEvent(type="task.created", task=task)])


def _list_tasks(session: Session, owner_id: int, arguments: ListTasksArguments) -> ToolOutcome:
    found = tasks.list_tasks(session=session, owner_id=owner_id, status=TaskStatus(arguments.status))
    return ToolOutcome({"tasks": [_public(task).model_dump(mode="json") for task in found]})


def _update(session: Session, owner_id: int, task_id: int, task_update: TaskUpdate) -> ToolOutcome:
    updated = tasks.update_task(session=session, owner_id=owner_id, task_id=task_id, task_update=task_update)
    task = _public(updated)
    return ToolOutcome({"task": task.model_dump(mode="json")}, [TaskEvent(type="task.updated", task=task)])


def _complete_task(session: Session, owner_id: int, arguments: TaskIdArguments) -> ToolOutcome:
    return _update(session, owner_id, arguments.task_id, TaskUpdate(completed=True))


def _update_task(session: Session, owner_id: int, arguments: UpdateTaskArguments) -> ToolOutcome:
    # The model sends null for "unchanged", so only non-null fields become changes.
    changes = arguments.model_dump(exclude={"task_id"}, exclude_none=True)
    return _update(session, owner_id, arguments.task_id, TaskUpdate(**changes))


def _delete_task(session: Session, owner_id: int, arguments: TaskIdArguments) -> ToolOutcome:
    task = tasks.delete_task(session=session, owner_id=owner_id, task_id=arguments.task_id)
    return ToolOutcome({"deleted": task.model_dump(mode="json")}, [TaskEvent(type="task.deleted", task=task)])


TASK_TOOLS: dict[str, TaskTool] = {
    tool.name: tool
    for tool in (
        TaskTool("add_task", "Create a new task.", AddTaskArguments, _add_task),
        TaskTool(
            "list_tasks",
            "List the user's tasks, optionally only pending or completed ones.",
            ListTasksArguments,
            _list_tasks,
        ),
        TaskTool("complete_task", "Mark a task as completed.", TaskIdArguments, _complete_task),
        TaskTool(
            "update_task", "Change a task's title, description or completion state.", UpdateTaskArguments, _update_task
        ),
        TaskTool("delete_task", "Delete a task permanently.", TaskIdArguments, _delete_task),
    )
}


def run_task_tool(name: str, arguments: dict[str, Any], *, session: Session, owner_id: int) -> ToolOutcome:
    tool = TASK_TOOLS.get(name)
    if tool is None:
        raise ToolError(f"Unknown tool {name!r}; available: {', '.join(TASK_TOOLS)}")
    try:
        parsed = tool.arguments.model_validate(arguments)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in error.errors())
        raise ToolError(f"Invalid arguments for {name}: {problems}") from None
    try:
        return tool.handler(session, owner_id, parsed)
    except tasks.TaskNotFoundError as error:
        raise ToolError(str(error)) from None
