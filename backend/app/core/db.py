"""The database engine and sessions (SQLModel over SQLAlchemy, synchronous).

Handlers that touch the database are plain `def` functions, which FastAPI runs in its thread
pool; that keeps password hashing and queries off the event loop.
"""

import logging
from functools import partial

import anyio
from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.core.config import Settings

READINESS_QUERY_TIMEOUT_SECONDS = 2.0
CONNECT_TIMEOUT_SECONDS = 5

logger = logging.getLogger(__name__)


def create_database_engine(settings: Settings) -> Engine:
    url = settings.database_url
    if url.get_backend_name() == "sqlite":
        # Sessions are opened in one pool thread and may be used from another.
        return create_engine(url, connect_args={"check_same_thread": False})
    # A database that does not answer must fail fast (readiness probe, requests), unless the URL
    # sets its own connect_timeout.
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    # Serverless PostgreSQL (Neon) closes idle connections; test each one before handing it out.
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def listener_conninfo(settings: Settings) -> str:
    """A libpq connection string for a plain psycopg connection (the live updates listener), with
    the same fail-fast connect timeout as the engine's."""
    url = settings.database_url.set(drivername="postgresql")
    extra = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    return make_conninfo(url.render_as_string(hide_password=False), **extra)


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit, so handlers can return what they just saved.
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


def _ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def database_is_reachable(engine: Engine) -> bool:
    """A cheap round trip, bounded so a hung database fails the probe instead of stalling it."""
    try:
        with anyio.fail_after(READINESS_QUERY_TIMEOUT_SECONDS):
            await anyio.to_thread.run_sync(partial(_ping, engine), abandon_on_cancel=True)
    except Exception as error:  # whatever the cause, the database did not answer: not ready
        logger.warning("database check failed", extra={"error": repr(error)})
        return False
    return True
