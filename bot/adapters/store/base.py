"""The store's shared plumbing: engine, injected clock, transactions and row-to-record conversion."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.adapters.store import schema as t
from bot.adapters.store.engine import READ_ONLY
from bot.adapters.store.records import EventRow, InboundRow, OutboxRow, TicketRow
from bot.core.tickets import Status

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """Holds the engine and the clock; every repository mixin builds on it."""

    def __init__(self, engine: AsyncEngine, *, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        # Set whenever mail is queued, so an in-process sender wakes at once instead of at its next poll.
        self.outbox_wakeup = asyncio.Event()

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the store's clock must return timezone-aware datetimes")
        return now.astimezone(UTC)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only connection (on SQLite a deferred transaction, so readers never queue behind writers)."""
        async with self._engine.connect() as conn:
            yield await conn.execution_options(**{READ_ONLY: True})

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        async with self._engine.begin() as conn:
            yield conn

    async def insert_ignore(self, conn: AsyncConnection, table: sa.Table, values: Mapping[str, Any],
                            *, keys: tuple[str, ...]) -> bool:
        """Insert unless a row with the same ``keys`` exists; True when this call inserted it."""
        ins: Any = (postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table))
        result = await conn.execute(ins.values(**values).on_conflict_do_nothing(index_elements=list(keys)))
        return bool(result.rowcount)

    async def add_event(self, conn: AsyncConnection, ticket_id: int, *, actor: str, kind: str,
                        detail: Mapping[str, Any] | None = None) -> None:
        """Append to the audit log (the only way this code writes ``ticket_events``: never updated)."""
        await conn.execute(t.ticket_events.insert().values(
            ticket_id=ticket_id, at=self.now(), actor=actor, kind=kind, detail=dict(detail or {})))


def ticket_record(row: Any) -> TicketRow:
    m = row._mapping
    return TicketRow(
        id=m["id"], reference=m["reference"], org=m["org"], right=m["right"], article=m["article"],
        status=Status(m["status"]), language=m["language"], channel=m["channel"],
        requester_address=m["requester_address"], requester_name=m["requester_name"],
        requester_evidence=tuple((str(k), str(v)) for k, v in (m["requester_evidence"] or [])),
        external_id=m["external_id"], original_text=m["original_text"],
        citations=tuple(m["citations"] or ()), contact_address=m["contact_address"],
        received_at=m["received_at"], forwarded_at=m["forwarded_at"], acknowledged_at=m["acknowledged_at"],
        closed_at=m["closed_at"], deadline=m["deadline"], extended_deadline=m["extended_deadline"],
        extension_reason=m["extension_reason"], refusal_reason=m["refusal_reason"],
        duplicate_of=m["duplicate_of"], delivery_status=m["delivery_status"],
        delivery_error=m["delivery_error"], created_at=m["created_at"], updated_at=m["updated_at"],
    )


def event_record(row: Any) -> EventRow:
    m = row._mapping
    return EventRow(id=m["id"], ticket_id=m["ticket_id"], at=m["at"], actor=m["actor"], kind=m["kind"],
                    detail=dict(m["detail"] or {}))


def outbox_record(row: Any) -> OutboxRow:
    m = row._mapping
    return OutboxRow(
        id=m["id"], ticket_id=m["ticket_id"], kind=m["kind"], message_id=m["message_id"],
        mail_from=m["mail_from"], recipients=tuple(m["recipients"] or ()), raw=bytes(m["raw"]),
        status=m["status"], attempts=m["attempts"], next_attempt_at=m["next_attempt_at"],
        claimed_by=m["claimed_by"], claimed_until=m["claimed_until"], last_error=m["last_error"],
        created_at=m["created_at"], sent_at=m["sent_at"],
    )


def inbound_record(row: Any) -> InboundRow:
    m = row._mapping
    return InboundRow(
        id=m["id"], transport=m["transport"], message_id=m["message_id"], dedupe_key=m["dedupe_key"],
        raw=bytes(m["raw"]), size=m["size"], received_at=m["received_at"], status=m["status"],
        claimed_by=m["claimed_by"], claimed_until=m["claimed_until"], error=m["error"],
        ticket_id=m["ticket_id"], outcome=m["outcome"],
    )
