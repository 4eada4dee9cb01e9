"""Alembic runtime: migrate the database named by DATABASE_URL (see app.core.config)."""

from alembic import context
from sqlmodel import SQLModel

from app import models  # noqa: F401  (registers every table on SQLModel.metadata)
from app.core.config import Settings, load_settings_or_exit
from app.core.db import create_database_engine

config = context.config
# app.core.migrate passes its settings in; the `alembic` CLI reads them from the environment.
settings: Settings = config.attributes.get("settings") or load_settings_or_exit()


def run_migrations() -> None:
    engine = create_database_engine(settings)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
                render_as_batch=settings.is_sqlite,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations()
