import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.core.logging import JsonFormatter


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """The access logger's output, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("access")
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.DEBUG)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous_level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_request_id_is_generated_and_returned(client: TestClient, access_log: io.StringIO) -> None:
    response = client.get("/api/tasks")

    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    [line] = _lines(access_log)
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/tasks", 401)
    assert line["level"] == "info"
    assert isinstance(line["duration_ms"], float)


def test_request_id_is_taken_from_caller(client: TestClient, access_log: io.StringIO) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "trace-123.abc"})

    assert response.headers["X-Request-ID"] == "trace-123.abc"
    assert _lines(access_log)[0]["request_id"] == "trace-123.abc"


@pytest.mark.parametrize("unsafe", ["a b", "x" * 129, "<script>"], ids=["space", "too_long", "markup"])
def test_request_id_from_caller_is_replaced_when_unsafe(client: TestClient, unsafe: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": unsafe})

    assert response.headers["X-Request-ID"] != unsafe
    assert len(response.headers["X-Request-ID"]) == 32


def test_probe_requests_are_logged_at_debug(client: TestClient, access_log: io.StringIO) -> None:
    client.get("/healthz")

    assert _lines(access_log)[0]["level"] == "debug"


def test_json_formatter_writes_one_object_per_line_with_extras() -> None:
    record = logging.makeLogRecord(
        {"name": "x", "levelno": logging.WARNING, "levelname": "WARNING", "msg": "two\nlines"}
    )
    record.user_id = 7

    output = JsonFormatter().format(record)

    assert "\n" not in output
    assert json.loads(output) | {"time": None} == {
        "time": None,
        "level": "warning",
        "logger": "x",
        "message": "two\nlines",
        "request_id": None,
        "user_id": 7,
    }
