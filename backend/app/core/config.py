"""Service configuration, read from environment variables (and an optional `.env` file)."""

import sys
from functools import cached_property
from typing import Annotated, Literal, TypeVar

from pydantic import AnyHttpUrl, BeforeValidator, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# Lets `python -m app.core.serve` work on a laptop with no setup; refused in production.
DEV_JWT_SECRET = "development-only-jwt-secret-do-not-use-in-production"
MIN_PRODUCTION_JWT_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_ignore_empty=True, extra="ignore")

    ENVIRONMENT: Literal["development", "production"] = "development"
    APP_VERSION: str = "0.1.0"
    LOG_LEVEL: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(str.upper)] = "INFO"

    DATABASE_URL: str = "sqlite:///./todo.db"
    # Unset means "migrate when the database is SQLite": an embedded database has no separate
    # migration job, while PostgreSQL is migrated once by `python -m app.core.migrate` (a hook Job).
    MIGRATE_ON_START: bool | None = None

    JWT_SECRET: SecretStr | None = None
    JWT_EXPIRE_MINUTES: int = Field(default=60, ge=1, le=60 * 24 * 30)

    OPENAI_API_KEY: SecretStr | None = None
    OPENAI_BASE_URL: AnyHttpUrl = AnyHttpUrl("https://api.openai.com/v1")
    OPENAI_MODEL: str = Field(default="gpt-4o-mini", min_length=1)
    OPENAI_TIMEOUT_SECONDS: float = Field(default=60, gt=0)

    # How live task updates reach WebSocket clients. "auto": in-process for SQLite (one process),
    # through PostgreSQL LISTEN/NOTIFY otherwise, so every replica hears every change.
    # "in-process": each replica tells only its own clients; for one replica whose database URL
    # cannot LISTEN (a transaction-mode pooler), and to show what the database fan-out is for.
    LIVE_UPDATES_FANOUT: Literal["auto", "in-process"] = "auto"

    SHUTDOWN_GRACE_SECONDS: int = Field(default=15, ge=0)
    # Exposes GET /api/debug/slow so tests can prove that shutdown drains in-flight requests.
    DEBUG_SLOW_ENDPOINT: bool = False

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url_is_supported(cls, value: str) -> str:
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError("is not a valid database URL") from None
        if backend not in ("sqlite", "postgresql", "postgres"):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    @model_validator(mode="after")
    def _production_is_locked_down(self) -> "Settings":
        if self.ENVIRONMENT == "production":
            secret = self.JWT_SECRET.get_secret_value() if self.JWT_SECRET else ""
            if not secret:
                raise ValueError("JWT_SECRET is required when ENVIRONMENT=production")
            if secret == DEV_JWT_SECRET or len(secret) < MIN_PRODUCTION_JWT_SECRET_LENGTH:
                raise ValueError(
                    f"JWT_SECRET must be a random value of at least {MIN_PRODUCTION_JWT_SECRET_LENGTH} "
                    "characters when ENVIRONMENT=production"
                )
            if self.DEBUG_SLOW_ENDPOINT:
                raise ValueError("DEBUG_SLOW_ENDPOINT must not be enabled when ENVIRONMENT=production")
        return self

    @property
    def uses_dev_jwt_secret(self) -> bool:
        return self.JWT_SECRET is None

    @property
    def jwt_secret(self) -> str:
        return self.JWT_SECRET.get_secret_value() if self.JWT_SECRET else DEV_JWT_SECRET

    @cached_property
    def database_url(self) -> URL:
        """DATABASE_URL with PostgreSQL pinned to psycopg 3, the one driver installed; Neon and
        Heroku print bare `postgres://` and `postgresql://` URLs."""
        url = make_url(self.DATABASE_URL)
        if url.get_backend_name() in ("postgres", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.get_backend_name() == "sqlite"

    @property
    def migrate_on_start(self) -> bool:
        return self.is_sqlite if self.MIGRATE_ON_START is None else self.MIGRATE_ON_START

    @property
    def chat_enabled(self) -> bool:
        return self.OPENAI_API_KEY is not None


SettingsT = TypeVar("SettingsT", bound=Settings)


def load_settings_or_exit(settings_class: type[SettingsT] = Settings) -> SettingsT:  # type: ignore[assignment]
    """Read settings from the environment; on bad or missing values exit with one line naming them."""
    try:
        return settings_class()
    except ValidationError as error:
        print(f"configuration error: {describe_validation_error(error)}", file=sys.stderr)
        raise SystemExit(2) from None


def describe_validation_error(error: ValidationError) -> str:
    problems = []
    for detail in error.errors(include_url=False):
        message = detail["msg"].removeprefix("Value error, ")
        variable = ".".join(str(part) for part in detail["loc"])
        problems.append(f"{variable}: {message}" if variable else message)
    return "; ".join(problems)
