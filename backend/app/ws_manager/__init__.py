from sqlalchemy import Engine

from app.core.config import Settings
from app.core.db import listener_conninfo
from app.ws_manager.manager import RESYNC_MESSAGE, ConnectionManager
from app.ws_manager.postgres import PostgresConnectionManager


def create_connection_manager(settings: Settings, engine: Engine) -> ConnectionManager:
    """In-process fan-out for SQLite (one process) or when asked for; through the database for
    PostgreSQL (any number of replicas)."""
    if settings.is_sqlite or settings.LIVE_UPDATES_FANOUT == "in-process":
        return ConnectionManager()
    return PostgresConnectionManager(engine, listener_conninfo(settings))


__all__ = ["RESYNC_MESSAGE", "ConnectionManager", "PostgresConnectionManager", "create_connection_manager"]
