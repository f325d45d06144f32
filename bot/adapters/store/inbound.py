"""The raw inbound mail queue: stored before it is acknowledged, claimed with a lease, never dropped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from bot.adapters.store import schema as t
from bot.adapters.store.base import StoreBase, inbound_record
from bot.adapters.store.records import InboundRow

INBOUND_STATUSES = ("new", "processing", "done", "quarantined", "ignored")


class InboundRepo(StoreBase):
    async def enqueue_inbound(self, *, transport: str, raw: bytes, dedupe_key: str,
                              message_id: str | None = None) -> tuple[int, bool]:
        """Store a raw message; returns (its id, True) or (the earlier copy's id, False) for a repeat."""
        async with self.tx() as conn:
            created = await self.insert_ignore(conn, t.inbound_messages, {
                "transport": transport, "message_id": message_id, "dedupe_key": dedupe_key, "raw": raw,
                "size": len(raw), "received_at": self.now(), "status": "new"}, keys=("dedupe_key",))
            row_id = (await conn.execute(sa.select(t.inbound_messages.c.id)
                                         .where(t.inbound_messages.c.dedupe_key == dedupe_key))).scalar_one()
        return int(row_id), created

    async def claim_inbound(self, worker: str, *, limit: int = 10,
                            lease: timedelta = timedelta(minutes=5)) -> list[InboundRow]:
        """Claim new messages (and ones whose processor's lease ran out) for processing."""
        now = self.now()
        c = t.inbound_messages.c
        due = sa.or_(c.status == "new", sa.and_(c.status == "processing", c.claimed_until < now))
        pick = (sa.select(c.id).where(due).order_by(c.id).limit(limit)
                .with_for_update(skip_locked=True).scalar_subquery())
        async with self.tx() as conn:
            rows = (await conn.execute(t.inbound_messages.update().where(c.id.in_(pick)).values(
                status="processing", claimed_by=worker, claimed_until=now + lease,
            ).returning(*t.inbound_messages.c))).all()
        return sorted((inbound_record(r) for r in rows), key=lambda r: r.id)

    async def finish_inbound(self, inbound_id: int, *, status: str, ticket_id: int | None = None,
                             outcome: dict[str, Any] | None = None, error: str | None = None) -> None:
        """Record what became of a message: done, quarantined (with the error) or ignored (with why)."""
        if status not in ("done", "quarantined", "ignored", "new"):
            raise ValueError(f"unknown inbound status {status!r}")
        async with self.tx() as conn:
            await conn.execute(t.inbound_messages.update().where(t.inbound_messages.c.id == inbound_id).values(
                status=status, ticket_id=ticket_id, outcome=outcome, error=None if error is None else error[:2000],
                claimed_by=None, claimed_until=None))

    async def release_inbound(self, worker: str) -> int:
        """Hand back claimed, unfinished messages (on shutdown)."""
        async with self.tx() as conn:
            result = await conn.execute(t.inbound_messages.update().where(
                t.inbound_messages.c.claimed_by == worker, t.inbound_messages.c.status == "processing",
            ).values(status="new", claimed_by=None, claimed_until=None))
        return int(result.rowcount or 0)

    async def get_inbound(self, inbound_id: int) -> InboundRow | None:
        async with self.read() as conn:
            row = (await conn.execute(sa.select(t.inbound_messages)
                                      .where(t.inbound_messages.c.id == inbound_id))).first()
        return None if row is None else inbound_record(row)

    async def list_inbound(self, *, status: str | None = None, limit: int = 100) -> list[InboundRow]:
        where: Any = sa.true() if status is None else t.inbound_messages.c.status == status
        async with self.read() as conn:
            rows = (await conn.execute(sa.select(t.inbound_messages).where(where)
                                       .order_by(t.inbound_messages.c.id).limit(limit))).all()
        return [inbound_record(r) for r in rows]
