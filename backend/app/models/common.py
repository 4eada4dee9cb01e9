"""Field types shared by the table and API models, and the error body every failure returns."""

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator
from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

# PostgreSQL text cannot hold NUL, so the API refuses it (422) instead of failing on insert.
# Written as a schema pattern so the OpenAPI document states the rule.
NO_NUL_PATTERN = r"^[^\x00]*$"
# PostgreSQL INTEGER; larger path ids are refused (422) rather than overflowing the query.
MAX_ID = 2**31 - 1


def _encodable_as_utf8(value: str) -> str:
    # JSON may carry lone surrogates ("\ud800"), which no database encoding can store.
    value.encode("utf-8")
    return value


# For text written to the database. Goes after any StringConstraints in an Annotated type:
# constraints placed after a validator drop out of the JSON schema.
UTF8_ONLY = AfterValidator(_encodable_as_utf8)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _assume_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC, so the API says so.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_assume_utc)]


def timestamp_field() -> Any:
    return Field(default_factory=utc_now, sa_type=DateTime(timezone=True), nullable=False)


class ErrorMessage(SQLModel):
    detail: str
