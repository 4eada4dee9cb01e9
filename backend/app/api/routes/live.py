"""WebSocket feed of the caller's task changes.

Browsers cannot set headers on a WebSocket, so the access token travels as `?token=`.
"""

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from app.api import API_PREFIX
from app.api.deps import ConnectionManagerDep, InvalidCredentialsError, SettingsDep, user_from_token
from app.core.config import Settings
from app.models.user import User

router = APIRouter(prefix=API_PREFIX, tags=["live"])

# 4000-4999 are application close codes; 4401 mirrors HTTP 401.
CLOSE_UNAUTHORIZED = 4401


def _user_or_none(websocket: WebSocket, token: str, settings: Settings) -> User | None:
    # A session of its own, closed at once: the socket may stay open for hours.
    with websocket.app.state.session_factory() as session:
        try:
            return user_from_token(token, session=session, settings=settings)
        except InvalidCredentialsError:
            return None


@router.websocket("/ws")
async def task_events(
    websocket: WebSocket, manager: ConnectionManagerDep, settings: SettingsDep, token: str = ""
) -> None:
    """Push {"type": "task.created|task.updated|task.deleted", "task": Task} for each change."""
    user = await run_in_threadpool(_user_or_none, websocket, token, settings)
    # Accept before closing so the client sees the 4401 code rather than a bare handshake failure.
    await websocket.accept()
    if user is None or user.id is None:
        await websocket.close(code=CLOSE_UNAUTHORIZED, reason="Invalid or expired token")
        return
    manager.connect(user.id, websocket)
    try:
        while True:  # the client sends nothing meaningful; reading is how a disconnect is noticed
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        manager.disconnect(user.id, websocket)
