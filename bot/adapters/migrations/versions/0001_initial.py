"""The first schema: tickets, audit log, references, outbox, inbound mail queue, Slack and staff state.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = ("store",)
depends_on = None

_TS = sa.DateTime(timezone=True)

# The audit log is append-only. The escape hatch is for the retention purge (issue 7) only: it must set
# ``SET LOCAL privacy_bot.purge = 'on'`` (PostgreSQL) or insert kv_state key 'audit.purge' (SQLite) in
# its own transaction.
_PG_FUNCTION = """
CREATE FUNCTION ticket_events_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('privacy_bot.purge', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ticket_events is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql
"""
_PG_TRIGGER = """
CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ticket_events
FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only()
"""
_SQLITE_TRIGGER = """
CREATE TRIGGER ticket_events_no_{op} BEFORE {OP} ON ticket_events
WHEN NOT EXISTS (SELECT 1 FROM kv_state WHERE key = 'audit.purge')
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: {OP} refused'); END
"""


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False),
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
        sa.Column("received_at", _TS, nullable=False),
        sa.Column("forwarded_at", _TS),
        sa.Column("acknowledged_at", _TS),
        sa.Column("closed_at", _TS),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("extended_deadline", sa.Date),
        sa.Column("extension_reason", sa.Text),
        sa.Column("refusal_reason", sa.Text),
        sa.Column("duplicate_of", sa.String(32)),
        sa.Column("delivery_status", sa.String(16), nullable=False),
        sa.Column("delivery_error", sa.Text),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
        sa.UniqueConstraint("reference", name="uq_tickets_reference"),
    )
    op.create_index("ix_tickets_dedupe", "tickets", ["org", "right", "requester_address"])
    op.create_index("ix_tickets_status_deadline", "tickets", ["status", "deadline"])
    op.create_index("ix_tickets_channel_external_id", "tickets", ["channel", "external_id"], unique=True)

    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_events"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_ticket_events_ticket_id_tickets"),
    )
    op.create_index("ix_ticket_events_ticket_id", "ticket_events", ["ticket_id"])

    op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer, autoincrement=False),
        sa.Column("last", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_reference_counters"),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", sa.Integer),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("message_id", sa.String(250), nullable=False),
        sa.Column("mail_from", sa.String(320), nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_until", _TS),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("message_id", name="uq_outbox_message_id"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_outbox_ticket_id_tickets"),
    )
    op.create_index("ix_outbox_ticket_id", "outbox", ["ticket_id"])
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])

    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("transport", sa.String(8), nullable=False),
        sa.Column("message_id", sa.String(1000)),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("received_at", _TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_until", _TS),
        sa.Column("error", sa.Text),
        sa.Column("ticket_id", sa.Integer),
        sa.Column("outcome", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_inbound_messages"),
        sa.UniqueConstraint("dedupe_key", name="uq_inbound_messages_dedupe_key"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_inbound_messages_ticket_id_tickets"),
    )
    op.create_index("ix_inbound_messages_status", "inbound_messages", ["status"])

    op.create_table(
        "processed_events",
        sa.Column("key", sa.String(300)),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_processed_events"),
    )
    op.create_table(
        "slack_channel_orgs",
        sa.Column("channel_id", sa.String(64)),
        sa.Column("team_id", sa.String(64)),
        sa.Column("org", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name="pk_slack_channel_orgs"),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("password_hash", sa.String(500), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name="pk_staff_users"),
        sa.UniqueConstraint("email", name="uq_staff_users_email"),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at"])
    op.create_table(
        "kv_state",
        sa.Column("key", sa.String(200)),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_kv_state"),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(_PG_TRIGGER)
    else:
        for name in ("update", "delete"):
            op.execute(_SQLITE_TRIGGER.format(op=name, OP=name.upper()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_events_append_only ON ticket_events")
        op.execute("DROP FUNCTION IF EXISTS ticket_events_append_only()")
    for table in ("kv_state", "login_failures", "staff_users", "slack_channel_orgs", "processed_events",
                  "inbound_messages", "outbox", "reference_counters", "ticket_events", "tickets"):
        op.drop_table(table)
