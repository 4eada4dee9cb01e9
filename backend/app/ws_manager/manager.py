"""Live task updates: each user's open WebSockets receive that user's task events.

Connections live in this process only; with several replicas a client hears about changes
made through the replica it is connected to.
"""

import logging
from collections import defaultdict

import anyio.from_thread
from starlette.websockets import WebSocket

from app.models.task import TaskEvent

logger = logging.getLogger(__name__)


class ConnectionManager:
    def __init__(self) -> None:
        self._connections: defaultdict[int, set[WebSocket]] = defaultdict(set)

    def connect(self, user_id: int, websocket: WebSocket) -> None:
        self._connections[user_id].add(websocket)

    def disconnect(self, user_id: int, websocket: WebSocket) -> None:
        self._connections[user_id].discard(websocket)
        if not self._connections[user_id]:
            del self._connections[user_id]

    def connection_count(self, user_id: int) -> int:
        """How many sockets the user has open here (tests wait on it before making changes)."""
        return len(self._connections.get(user_id, ()))

    async def publish(self, user_id: int, event: TaskEvent) -> None:
        message = event.model_dump(mode="json")
        for websocket in list(self._connections.get(user_id, ())):
            try:
                await websocket.send_json(message)
            except Exception as error:  # a client that went away must not fail the change that was made
                logger.info("dropping websocket after failed send", extra={"error": repr(error)})
                self.disconnect(user_id, websocket)

    def publish_from_thread(self, user_id: int, events: list[TaskEvent]) -> None:
        """Publish from a synchronous handler, which FastAPI runs in a worker thread."""
        for event in events:
            anyio.from_thread.run(self.publish, user_id, event)
