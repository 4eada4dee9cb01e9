from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.common import timestamp_field


class LiveEventPayload(SQLModel, table=True):
    """A live event too large for a PostgreSQL NOTIFY: the notification carries this row's id and each
    replica's listener reads the event back. Rows are kept for minutes only (see app.ws_manager.postgres)."""

    __tablename__ = "live_event_payloads"

    id: int | None = Field(default=None, primary_key=True)
    payload: str
    created_at: datetime = timestamp_field()
