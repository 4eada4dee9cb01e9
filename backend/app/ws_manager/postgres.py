"""Cross-replica fan-out through PostgreSQL LISTEN/NOTIFY.

Publishing sends one NOTIFY per event on CHANNEL; every replica, this one included, LISTENs on
its own connection and delivers what it hears to its own sockets. So each event reaches each
connected client once, whichever replica the change went through and whichever one the client
is connected to. An event whose payload is too large for NOTIFY is stored in live_event_payloads
and the notification carries only the row's id, which the listeners read back.

When the listening connection drops, the listener reconnects with backoff; meanwhile readiness
is false (is_ready), and once it listens again every client here gets RESYNC_MESSAGE, since
events sent in between were not heard.
"""

import asyncio
import json
import logging
import secrets
from datetime import timedelta
from typing import Any

import anyio
import anyio.from_thread
import psycopg
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.engine import Connection

from app.models.common import utc_now
from app.models.live_event import LiveEventPayload
from app.models.task import TaskEvent
from app.ws_manager.manager import RESYNC_MESSAGE, ConnectionManager

logger = logging.getLogger(__name__)

CHANNEL = "task_events"
# PostgreSQL's limit is "shorter than 8000 bytes" (in the default configuration).
MAX_NOTIFY_PAYLOAD_BYTES = 7999
# Oversized payloads are read back within milliseconds; older rows are deleted on the next insert.
PAYLOAD_RETENTION = timedelta(minutes=10)
FIRST_CONNECT_WAIT_SECONDS = 5.0
# How the listening connection shows in pg_stat_activity.
LISTENER_APPLICATION_NAME = "todo-live-updates"


class PostgresConnectionManager(ConnectionManager):
    def __init__(
        self,
        engine: Engine,
        conninfo: str,
        *,
        heartbeat_seconds: float = 5.0,
        first_retry_seconds: float = 0.1,
        max_retry_seconds: float = 5.0,
    ) -> None:
        super().__init__()
        self._engine = engine
        self._conninfo = conninfo
        self._heartbeat_seconds = heartbeat_seconds
        self._first_retry_seconds = first_retry_seconds
        self._max_retry_seconds = max_retry_seconds
        self._listening = False
        self._attempted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="live-updates-listener")
        # Readiness is false until the listener is in; give it a moment so a healthy start is ready at once.
        try:
            await asyncio.wait_for(self._attempted.wait(), FIRST_CONNECT_WAIT_SECONDS)
        except TimeoutError:
            pass

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        self._listening = False

    @property
    def is_ready(self) -> bool:
        return self._listening

    async def publish(self, user_id: int, event: TaskEvent) -> None:
        await anyio.to_thread.run_sync(self._notify_or_resync, user_id, [event])

    def publish_from_thread(self, user_id: int, events: list[TaskEvent]) -> None:
        if events:
            self._notify_or_resync(user_id, events)

    # Publishing (in a worker thread, on the engine's pool)

    def _notify_or_resync(self, user_id: int, events: list[TaskEvent]) -> None:
        try:
            with self._engine.begin() as connection:
                for event in events:
                    _notify(connection, user_id, event)
        except Exception as error:  # the change is made; failing the request now would mislead its caller
            logger.error("could not publish live update; asking clients here to resync", extra={"error": repr(error)})
            anyio.from_thread.run(self.deliver, user_id, RESYNC_MESSAGE)

    # Listening (a task on the event loop, on a connection of its own)

    async def _listen_forever(self) -> None:
        failures = 0
        missed = False
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, application_name=LISTENER_APPLICATION_NAME
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self._listening = True
                    self._attempted.set()
                    if failures:
                        logger.info("live updates listener reconnected", extra={"attempts": failures})
                    failures = 0
                    if missed:
                        await self.deliver_to_everyone(RESYNC_MESSAGE)
                        missed = False
                    await self._relay(connection)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any failure of the connection: count it, wait, reconnect
                if self._listening or not failures:
                    logger.warning("live updates listener lost its database connection", extra={"error": repr(error)})
                self._listening = False
                self._attempted.set()
                missed = True
                delay = min(self._max_retry_seconds, self._first_retry_seconds * 2**failures)
                failures += 1
                await asyncio.sleep(delay)

    async def _relay(self, connection: psycopg.AsyncConnection[Any]) -> None:
        while True:
            async for notification in connection.notifies(timeout=self._heartbeat_seconds):
                await self._dispatch(notification.payload)
            # No notification for a while: make sure the connection is still alive.
            async with asyncio.timeout(self._heartbeat_seconds):
                await connection.execute("SELECT 1")

    async def _dispatch(self, payload: str) -> None:
        try:
            notice = json.loads(payload)
            user_id = int(notice["user_id"])
        except (ValueError, KeyError, TypeError):
            logger.warning("ignoring malformed live update notification", extra={"payload": payload[:200]})
            return
        if "event" in notice:
            await self.deliver(user_id, notice["event"])
            return
        try:
            event = await anyio.to_thread.run_sync(_read_back, self._engine, int(notice["payload_id"]))
        except Exception as error:  # the event is lost to this replica: its clients must reload instead
            logger.error("could not read back a live update", extra={"error": repr(error)})
            await self.deliver(user_id, RESYNC_MESSAGE)
            return
        await self.deliver(user_id, RESYNC_MESSAGE if event is None else event)


def _notify(connection: Connection, user_id: int, event: TaskEvent) -> None:
    message = event.model_dump(mode="json")
    # PostgreSQL folds identical notifications of one transaction into one; the nonce keeps each event.
    nonce = secrets.token_hex(8)
    payload = json.dumps({"user_id": user_id, "nonce": nonce, "event": message}, separators=(",", ":"))
    if len(payload.encode()) > MAX_NOTIFY_PAYLOAD_BYTES:
        connection.execute(delete(LiveEventPayload).where(LiveEventPayload.created_at < utc_now() - PAYLOAD_RETENTION))
        stored = insert(LiveEventPayload).values(payload=json.dumps(message), created_at=utc_now())
        payload_id = connection.execute(stored.returning(LiveEventPayload.id)).scalar_one()
        payload = json.dumps({"user_id": user_id, "nonce": nonce, "payload_id": payload_id})
    connection.execute(select(func.pg_notify(CHANNEL, payload)))


def _read_back(engine: Engine, payload_id: int) -> dict[str, Any] | None:
    with engine.connect() as connection:
        stored = connection.execute(
            select(LiveEventPayload.payload).where(LiveEventPayload.id == payload_id)
        ).scalar_one_or_none()
    if stored is None:
        logger.warning("live update payload is gone", extra={"payload_id": payload_id})
        return None
    return json.loads(stored)
