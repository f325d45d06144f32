"""The database tables, as SQLAlchemy Core metadata (migrations in bot/adapters/migrations create them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive text, so the zone is re-attached)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass timezone-aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
})

tickets = sa.Table(
    "tickets", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(32), nullable=False, unique=True),
    sa.Column("org", sa.String(64), nullable=False),
    sa.Column("right", sa.String(32), nullable=False),
    sa.Column("article", sa.String(16), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("requester_address", sa.String(320)),
    sa.Column("requester_name", sa.String(200)),
    sa.Column("requester_evidence", sa.JSON, nullable=False),
    sa.Column("external_id", sa.String(500)),
    sa.Column("original_text", sa.Text, nullable=False),
    sa.Column("citations", sa.JSON, nullable=False),
    sa.Column("contact_address", sa.String(320)),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("forwarded_at", UTCDateTime),
    sa.Column("acknowledged_at", UTCDateTime),
    sa.Column("closed_at", UTCDateTime),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("extended_deadline", sa.Date),
    sa.Column("extension_reason", sa.Text),
    sa.Column("refusal_reason", sa.Text),
    sa.Column("duplicate_of", sa.String(32)),
    # The forward's delivery: none (no contact address) | pending | retrying | sent | failed.
    sa.Column("delivery_status", sa.String(16), nullable=False),
    sa.Column("delivery_error", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index("ix_tickets_dedupe", "org", "right", "requester_address"),
    sa.Index("ix_tickets_status_deadline", "status", "deadline"),
    sa.Index("ix_tickets_channel_external_id", "channel", "external_id", unique=True),
)

ticket_events = sa.Table(
    "ticket_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id"), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(48), nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
)

reference_counters = sa.Table(
    "reference_counters", metadata,
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last", sa.Integer, nullable=False),
)

outbox = sa.Table(
    "outbox", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id"), index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("message_id", sa.String(250), nullable=False, unique=True),
    sa.Column("mail_from", sa.String(320), nullable=False),
    sa.Column("recipients", sa.JSON, nullable=False),
    sa.Column("raw", sa.LargeBinary, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("claimed_by", sa.String(100)),
    sa.Column("claimed_until", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
)

inbound_messages = sa.Table(
    "inbound_messages", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("transport", sa.String(8), nullable=False),
    sa.Column("message_id", sa.String(1000)),
    sa.Column("dedupe_key", sa.String(200), nullable=False, unique=True),
    sa.Column("raw", sa.LargeBinary, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("claimed_by", sa.String(100)),
    sa.Column("claimed_until", UTCDateTime),
    sa.Column("error", sa.Text),
    sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id")),
    sa.Column("outcome", sa.JSON),
    sa.Index("ix_inbound_messages_status", "status"),
)

processed_events = sa.Table(
    "processed_events", metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)

slack_channel_orgs = sa.Table(
    "slack_channel_orgs", metadata,
    sa.Column("channel_id", sa.String(64), primary_key=True),
    sa.Column("team_id", sa.String(64)),
    sa.Column("org", sa.String(64), nullable=False),
)

staff_users = sa.Table(
    "staff_users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("name", sa.String(200)),
    sa.Column("password_hash", sa.String(500), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(400), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_login_failures_key_at", "key", "at"),
)

kv_state = sa.Table(
    "kv_state", metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
