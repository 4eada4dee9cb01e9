import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from app.core.config import Settings
from app.core.db import create_database_engine
from app.core.migrate import alembic_config
from tests.conftest import make_settings
from tests.utils.network import free_loopback_port

BACKEND_DIR = Path(__file__).resolve().parents[2]
TABLES = {"users", "tasks", "conversations", "chat_messages", "live_event_payloads"}


def _tables(settings: Settings) -> set[str]:
    engine = create_database_engine(settings)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _run_migrate(database_url: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in Settings.model_fields}
    return subprocess.run(
        [sys.executable, "-m", "app.core.migrate"],
        cwd=BACKEND_DIR,
        env={**environment, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_migrations_match_models(clean_database: str) -> None:
    command.check(alembic_config(make_settings(clean_database)))  # raises if models and migrations differ


def test_migrations_downgrade_and_upgrade_again(clean_database: str) -> None:
    settings = make_settings(clean_database)
    config = alembic_config(settings)

    command.downgrade(config, "base")
    assert _tables(settings) == set()

    command.upgrade(config, "head")
    assert _tables(settings) == TABLES


def test_migrate_command_creates_schema(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'fresh.db'}"

    result = _run_migrate(database_url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert _tables(make_settings(database_url)) == TABLES
    assert '"message": "database schema is up to date"' in result.stdout


def test_migrate_command_fails_with_one_line_when_database_is_down() -> None:
    result = _run_migrate(f"postgresql://nobody@127.0.0.1:{free_loopback_port()}/todo?connect_timeout=2")

    assert result.returncode == 1
    [error] = [line for line in result.stdout.splitlines() if '"level": "error"' in line]
    assert "migration failed" in error
    assert "Traceback" not in result.stdout + result.stderr
