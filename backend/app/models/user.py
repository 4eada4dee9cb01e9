from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, StringConstraints
from sqlmodel import Field, SQLModel

from app.models.common import UTF8_ONLY, timestamp_field

# Deliberately loose (something@something.tld, no spaces or control characters): the only
# real proof of an address is mail delivery, which this service does not do.
EMAIL_PATTERN = r"^[^@\x00-\x20]+@[^@\x00-\x20]+\.[^@\x00-\x20]+$"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)
    password_hash: str
    created_at: datetime = timestamp_field()


# API models

Email = Annotated[str, StringConstraints(max_length=254, pattern=EMAIL_PATTERN), UTF8_ONLY, AfterValidator(str.lower)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128), UTF8_ONLY]


class Credentials(SQLModel):
    email: Email
    password: Password


class UserPublic(SQLModel):
    id: int
    email: str


class AccessToken(SQLModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    user: UserPublic
