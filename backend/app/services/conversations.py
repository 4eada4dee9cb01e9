"""Chat history, stored so any replica can continue a conversation."""

from sqlmodel import Session, col, select

from app.models.conversation import ChatMessage, Conversation, MessageRole


class ConversationNotFoundError(LookupError):
    pass


def start_or_resume(*, session: Session, owner_id: int, conversation_id: str | None) -> Conversation:
    if conversation_id is None:
        conversation = Conversation(owner_id=owner_id)
        session.add(conversation)
        session.commit()
        return conversation
    query = select(Conversation).where(Conversation.id == conversation_id, Conversation.owner_id == owner_id)
    conversation = session.exec(query).first()
    if conversation is None:
        raise ConversationNotFoundError(conversation_id)
    return conversation


def recent_messages(*, session: Session, conversation_id: str, limit: int) -> list[ChatMessage]:
    """The last `limit` messages, oldest first."""
    newest_first = session.exec(
        select(ChatMessage)
        .where(ChatMessage.conversation_id == conversation_id)
        .order_by(col(ChatMessage.id).desc())
        .limit(limit)
    )
    return list(reversed(newest_first.all()))


def record_exchange(*, session: Session, conversation_id: str, user_text: str, assistant_text: str) -> None:
    session.add(ChatMessage(conversation_id=conversation_id, role=MessageRole.USER, content=user_text))
    session.add(ChatMessage(conversation_id=conversation_id, role=MessageRole.ASSISTANT, content=assistant_text))
    session.commit()
