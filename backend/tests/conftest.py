"""Shared fixtures. Every database-backed test runs twice: on SQLite and on a real PostgreSQL."""

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from app import models  # noqa: F401  (registers the tables whose rows are cleared between tests)
from app.core import security
from app.core.config import Settings
from app.core.db import create_database_engine
from app.core.migrate import upgrade_to_head
from app.main import create_app
from tests.utils.fake_llm import FakeChatModel
from tests.utils.postgres import PostgresServer, find_bin_dir

TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-keys"
PASSWORD = "correct horse battery"

# Tests never read the developer's configuration: each one states the settings it runs with.
for _name in Settings.model_fields:
    os.environ.pop(_name, None)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    return Settings(_env_file=None, DATABASE_URL=database_url, JWT_SECRET=TEST_JWT_SECRET, **overrides)  # type: ignore[call-arg]


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at production cost takes ~0.5 s per hash on a busy CI core; tests need correctness, not cost."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "password_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    bin_dir = find_bin_dir()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        message = "PostgreSQL server binaries not found: apt-get install postgresql (or set PG_BIN_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = PostgresServer(bin_dir)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'todo.db'}"
    else:
        url = request.getfixturevalue("postgresql_url")
    upgrade_to_head(make_settings(url))
    return url


@pytest.fixture(scope="session")
def _table_cleaners() -> Iterator[dict[str, Engine]]:
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture
def clean_database(database_url: str, _table_cleaners: dict[str, Engine]) -> str:
    """The migrated database, emptied of rows left by earlier tests."""
    engine = _table_cleaners.get(database_url) or create_database_engine(make_settings(database_url))
    _table_cleaners[database_url] = engine
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(table.name for table in tables)} RESTART IDENTITY"))
        else:
            for table in tables:
                connection.execute(table.delete())
    return database_url


@pytest.fixture(scope="session")
def _fake_llm_server() -> Iterator[FakeChatModel]:
    model = FakeChatModel()
    model.start()
    yield model
    model.stop()


@pytest.fixture
def fake_llm(_fake_llm_server: FakeChatModel) -> FakeChatModel:
    _fake_llm_server.reset()
    return _fake_llm_server


@pytest.fixture
def settings(clean_database: str, fake_llm: FakeChatModel) -> Settings:
    return make_settings(
        clean_database, OPENAI_API_KEY="test-key", OPENAI_BASE_URL=fake_llm.base_url, OPENAI_MODEL="test-model"
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


_emails = (f"user{number}@example.com" for number in itertools.count(1))


@pytest.fixture
def sign_up(client: TestClient) -> Callable[[], Account]:
    def sign_up_new_account() -> Account:
        response = client.post("/api/auth/signup", json={"email": next(_emails), "password": PASSWORD})
        assert response.status_code == 201, response.text
        body = response.json()
        return Account(id=body["user"]["id"], email=body["user"]["email"], token=body["access_token"])

    return sign_up_new_account


@pytest.fixture
def alice(sign_up: Callable[[], Account]) -> Account:
    return sign_up()


@pytest.fixture
def bob(sign_up: Callable[[], Account]) -> Account:
    return sign_up()
