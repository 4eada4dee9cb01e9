"""Bring the database schema up to date: `python -m app.core.migrate` (run as a Helm hook Job before rollout)."""

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config

from app.core.config import Settings, load_settings_or_exit
from app.core.logging import configure_logging

APP_DIR = Path(__file__).resolve().parent.parent
# alembic.ini sits next to pyproject.toml, where the `alembic` CLI looks for it.
BACKEND_DIR = APP_DIR.parent
logger = logging.getLogger("app.core.migrate")


def alembic_config(settings: Settings) -> Config:
    config = Config(BACKEND_DIR / "alembic.ini")
    config.set_main_option("script_location", str(APP_DIR / "migrations"))
    # migrations/env.py reads the database from here rather than from the ini file.
    config.attributes["settings"] = settings
    return config


def upgrade_to_head(settings: Settings) -> None:
    logger.info("migrating database schema to head")
    command.upgrade(alembic_config(settings), "head")


def main() -> None:
    settings = load_settings_or_exit()
    configure_logging(settings.LOG_LEVEL)
    try:
        upgrade_to_head(settings)
    except Exception as error:  # one line for the Job's log, not a traceback wall
        logger.error("migration failed: %s", error)
        raise SystemExit(1) from None
    logger.info("database schema is up to date")


if __name__ == "__main__":
    main()
