from datetime import datetime
from enum import StrEnum
from uuid import uuid4

from sqlmodel import Field, SQLModel

from app.models.common import timestamp_field


def new_conversation_id() -> str:
    return uuid4().hex


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"

    id: str = Field(default_factory=new_conversation_id, primary_key=True, max_length=32)
    owner_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()


class MessageRole(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_messages"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversations.id", index=True, max_length=32, ondelete="CASCADE")
    role: str = Field(max_length=16)
    content: str
    created_at: datetime = timestamp_field()
