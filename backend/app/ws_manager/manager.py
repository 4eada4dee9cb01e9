"""Live task updates: each user's open WebSockets receive that user's task events.

ConnectionManager keeps the sockets open in this process and fans events out to them directly:
right for one process (SQLite). With PostgreSQL, PostgresConnectionManager (app.ws_manager.postgres)
sends every event through the database instead, so clients on every replica hear it.
"""

import logging
from collections import defaultdict
from typing import Any

import anyio.from_thread
from starlette.websockets import WebSocket

from app.models.task import TaskEvent

logger = logging.getLogger(__name__)

# Sent when events may have been missed (the fan-out lost its database connection): reload the tasks.
RESYNC_MESSAGE = {"type": "resync"}


class ConnectionManager:
    """In-process fan-out: publish delivers straight to this process's sockets."""

    def __init__(self) -> None:
        self._connections: defaultdict[int, set[WebSocket]] = defaultdict(set)

    async def start(self) -> None:
        """Begin whatever the fan-out needs in the background (nothing, in one process)."""

    async def stop(self) -> None:
        """End what start began."""

    @property
    def is_ready(self) -> bool:
        """Whether an event published now reaches every client (readiness turns false otherwise)."""
        return True

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
        await self.deliver(user_id, event.model_dump(mode="json"))

    def publish_from_thread(self, user_id: int, events: list[TaskEvent]) -> None:
        """Publish from a synchronous handler, which FastAPI runs in a worker thread."""
        for event in events:
            anyio.from_thread.run(self.publish, user_id, event)

    async def deliver(self, user_id: int, message: dict[str, Any]) -> None:
        """Send a message to the user's sockets in this process."""
        for websocket in list(self._connections.get(user_id, ())):
            try:
                await websocket.send_json(message)
            except Exception as error:  # a client that went away must not fail the change that was made
                logger.info("dropping websocket after failed send", extra={"error": repr(error)})
                self.disconnect(user_id, websocket)

    async def deliver_to_everyone(self, message: dict[str, Any]) -> None:
        for user_id in list(self._connections):
            await self.deliver(user_id, message)
