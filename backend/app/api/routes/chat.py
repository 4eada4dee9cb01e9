import logging

from fastapi import APIRouter, HTTPException, status

from app.ai_agent.agent import AgentTurn, run_agent_turn
from app.ai_agent.llm_client import LLMError
from app.api import API_PREFIX
from app.api.deps import ConnectionManagerDep, CurrentUser, LLMDep, SessionDep
from app.api.errors import MALFORMED_BODY, NOT_FOUND, UNAUTHORIZED
from app.models.chat import ChatRequest, ChatResponse
from app.models.common import ErrorMessage
from app.models.task import TaskPublic
from app.services import conversations

router = APIRouter(prefix=f"{API_PREFIX}/chat", tags=["chat"])
logger = logging.getLogger(__name__)

# Earlier messages replayed to the model so follow-ups ("and mark it done") make sense.
HISTORY_MESSAGES = 20


def _tasks_changed(turn: AgentTurn) -> list[TaskPublic]:
    """Each task touched in this turn, in its final state, unless the turn deleted it."""
    latest = {event.task.id: event for event in turn.events}
    return [event.task for event in latest.values() if event.type != "task.deleted"]


@router.post(
    "",
    response_model=ChatResponse,
    responses={
        **MALFORMED_BODY,
        **UNAUTHORIZED,
        **NOT_FOUND,
        502: {"model": ErrorMessage, "description": "The language model request failed"},
        503: {"model": ErrorMessage, "description": "Chat is not configured"},
    },
)
def chat(
    chat_request: ChatRequest, user: CurrentUser, session: SessionDep, llm: LLMDep, manager: ConnectionManagerDep
) -> ChatResponse:
    """Send a message to the assistant, which may act on the caller's tasks."""
    if llm is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail="Chat is unavailable: OPENAI_API_KEY is not configured"
        )
    try:
        conversation = conversations.start_or_resume(
            session=session, owner_id=user.id, conversation_id=chat_request.conversation_id
        )
    except conversations.ConversationNotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Conversation not found") from None
    history = conversations.recent_messages(session=session, conversation_id=conversation.id, limit=HISTORY_MESSAGES)

    try:
        turn = run_agent_turn(
            llm=llm, session=session, owner_id=user.id, history=history, user_message=chat_request.message
        )
    except LLMError as error:
        logger.warning("chat model request failed", extra={"error": str(error)})
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail=f"Chat model request failed: {error}") from None

    conversations.record_exchange(
        session=session, conversation_id=conversation.id, user_text=chat_request.message, assistant_text=turn.reply
    )
    manager.publish_from_thread(user.id, turn.events)
    return ChatResponse(
        reply=turn.reply,
        conversation_id=conversation.id,
        tool_calls=turn.tool_calls,
        tasks_changed=_tasks_changed(turn),
    )
