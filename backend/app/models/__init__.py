"""Table and API models. Importing this package registers every table on SQLModel.metadata."""

from app.models.conversation import ChatMessage, Conversation
from app.models.live_event import LiveEventPayload
from app.models.task import Task
from app.models.user import User

__all__ = ["ChatMessage", "Conversation", "LiveEventPayload", "Task", "User"]
