import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.config import DEV_JWT_SECRET, Settings, describe_validation_error
from app.core.db import create_database_engine

BACKEND_DIR = Path(__file__).resolve().parents[2]
STRONG_SECRET = "s" * 40


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _problem(**values: object) -> str:
    with pytest.raises(ValidationError) as error:
        _settings(**values)
    return describe_validation_error(error.value)


def test_settings_default_to_local_development() -> None:
    settings = _settings()

    assert settings.ENVIRONMENT == "development"
    assert settings.is_sqlite and settings.migrate_on_start
    assert settings.uses_dev_jwt_secret and settings.jwt_secret == DEV_JWT_SECRET
    assert not settings.chat_enabled
    assert settings.SHUTDOWN_GRACE_SECONDS == 15
    assert str(settings.OPENAI_BASE_URL) == "https://api.openai.com/v1"


def test_settings_require_jwt_secret_in_production() -> None:
    assert _problem(ENVIRONMENT="production") == "JWT_SECRET is required when ENVIRONMENT=production"


@pytest.mark.parametrize("secret", ["short", DEV_JWT_SECRET], ids=["too_short", "development_default"])
def test_settings_refuse_weak_jwt_secret_in_production(secret: str) -> None:
    assert _problem(ENVIRONMENT="production", JWT_SECRET=secret).startswith("JWT_SECRET must be a random value")


def test_settings_refuse_debug_endpoint_in_production() -> None:
    problem = _problem(ENVIRONMENT="production", JWT_SECRET=STRONG_SECRET, DEBUG_SLOW_ENDPOINT=True)

    assert problem == "DEBUG_SLOW_ENDPOINT must not be enabled when ENVIRONMENT=production"


@pytest.mark.parametrize(
    "values, variable",
    [
        ({"DATABASE_URL": "mysql://db/todo"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
        ({"SHUTDOWN_GRACE_SECONDS": "-1"}, "SHUTDOWN_GRACE_SECONDS"),
        ({"OPENAI_BASE_URL": "ftp://example.com"}, "OPENAI_BASE_URL"),
        ({"JWT_EXPIRE_MINUTES": "0"}, "JWT_EXPIRE_MINUTES"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_settings_name_the_bad_variable(values: dict, variable: str) -> None:
    assert _problem(**values).startswith(f"{variable}: ")


def test_settings_accept_lowercase_log_level() -> None:
    assert _settings(LOG_LEVEL="debug").LOG_LEVEL == "DEBUG"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_database_url_maps_plain_postgres_to_psycopg(scheme: str) -> None:
    settings = _settings(DATABASE_URL=f"{scheme}://user:pw@db.example.com/todo?sslmode=require")

    assert settings.database_url.drivername == "postgresql+psycopg"
    assert not settings.is_sqlite and not settings.migrate_on_start


def test_database_url_passes_sslmode_to_the_driver() -> None:
    settings = _settings(DATABASE_URL="postgresql://user:pw@db.example.com/todo?sslmode=require")
    engine = create_database_engine(settings)

    _, connect_kwargs = engine.dialect.create_connect_args(engine.url)

    assert connect_kwargs["sslmode"] == "require"


def test_migrate_on_start_can_be_forced_for_postgres() -> None:
    assert _settings(DATABASE_URL="postgresql://db/todo", MIGRATE_ON_START=True).migrate_on_start


def test_settings_read_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("SHUTDOWN_GRACE_SECONDS", "7")

    settings = _settings()

    assert settings.chat_enabled
    assert settings.SHUTDOWN_GRACE_SECONDS == 7


def test_service_exits_with_one_line_naming_missing_secret() -> None:
    environment = {key: value for key, value in os.environ.items() if key not in Settings.model_fields}
    result = subprocess.run(
        [sys.executable, "-m", "app.core.serve"],
        cwd=BACKEND_DIR,
        env={**environment, "ENVIRONMENT": "production"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.splitlines() == ["configuration error: JWT_SECRET is required when ENVIRONMENT=production"]
    assert result.stdout == ""
