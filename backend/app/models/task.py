from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import StrictBool, StringConstraints
from sqlmodel import Field, SQLModel

from app.models.common import NO_NUL_PATTERN, UTF8_ONLY, UtcDatetime, timestamp_field


class Task(SQLModel, table=True):
    __tablename__ = "tasks"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    title: str
    description: str | None = None
    completed: bool = False
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


# API models

Title = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL_PATTERN), UTF8_ONLY]
Description = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL_PATTERN), UTF8_ONLY]


class TaskStatus(StrEnum):
    ALL = "all"
    PENDING = "pending"
    COMPLETED = "completed"


class TaskCreate(SQLModel):
    title: Title
    description: Description | None = None


class TaskUpdate(SQLModel):
    """Only the fields present are changed; `description: null` clears the description."""

    # Optional but not nullable: a task always has a title and a state.
    title: Title = None  # type: ignore[assignment]
    description: Description | None = None
    # Strict: JSON true/false only, as the schema says; lax mode would take 0, 1 and "yes".
    completed: StrictBool = None  # type: ignore[assignment]


class TaskPublic(SQLModel):
    id: int
    title: str
    description: str | None
    completed: bool
    created_at: UtcDatetime
    updated_at: UtcDatetime


class TaskEvent(SQLModel):
    """A change to one task, as pushed to the owner's WebSocket connections."""

    type: Literal["task.created", "task.updated", "task.deleted"]
    task: TaskPublic
