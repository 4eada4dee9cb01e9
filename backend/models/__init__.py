"""Table and API models. Importing this package registers every table on SQLModel.metadata."""

from models.conversation import ChatMessage, Conversation
from models.task import Task
from models.user import User

__all__ = ["ChatMessage", "Conversation", "Task", "User"]
