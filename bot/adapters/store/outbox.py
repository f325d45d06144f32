"""The outbox queue: claim with a lease, then mark sent, retry later or failed (visible on the ticket)."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.store import schema as t
from bot.adapters.store.base import outbox_record
from bot.adapters.store.lifecycle import LifecycleRepo
from bot.adapters.store.records import OutboxKind, OutboxRow
from bot.core.tickets import ALLOWED, Status

logger = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=5)
UNDELIVERED = ("pending", "sending")


class OutboxRepo(LifecycleRepo):
    async def claim_outbox(self, worker: str, *, limit: int = 20, lease: timedelta = DEFAULT_LEASE,
                           force: bool = False, exclude: Collection[int] = ()) -> list[OutboxRow]:
        """Claim up to ``limit`` due messages for ``worker`` until ``now + lease``.

        Due: pending and past its backoff (any pending one with ``force``), or claimed by a sender whose
        lease ran out (it died between claim and send); never the ids in ``exclude``. PostgreSQL skips
        rows other senders hold locked; SQLite's BEGIN IMMEDIATE makes the single UPDATE atomic. Each
        claim counts as an attempt.
        """
        now = self.now()
        c = t.outbox.c
        free = sa.or_(c.claimed_until.is_(None), c.claimed_until < now)
        due = sa.or_(sa.and_(c.status == "pending", sa.true() if force else c.next_attempt_at <= now),
                     sa.and_(c.status == "sending", c.claimed_until < now))
        skip: Any = c.id.not_in(list(exclude)) if exclude else sa.true()
        pick = (sa.select(c.id).where(due, free, skip).order_by(c.id).limit(limit)
                .with_for_update(skip_locked=True).scalar_subquery())
        async with self.tx() as conn:
            rows = (await conn.execute(t.outbox.update().where(c.id.in_(pick)).values(
                status="sending", claimed_by=worker, claimed_until=now + lease, attempts=c.attempts + 1,
            ).returning(*t.outbox.c))).all()
        return sorted((outbox_record(r) for r in rows), key=lambda r: r.id)

    async def mark_sent(self, outbox_id: int, *, worker: str) -> None:
        """The server accepted the message: done for good; a forward moves its ticket to ``forwarded``."""
        now = self.now()
        c = t.outbox.c
        async with self.tx() as conn:
            row = (await conn.execute(t.outbox.update().where(c.id == outbox_id, c.status != "sent").values(
                status="sent", sent_at=now, claimed_by=None, claimed_until=None, last_error=None,
            ).returning(c.ticket_id, c.kind, c.message_id))).first()
            if row is None or row.ticket_id is None:
                return
            events: list[tuple[str, dict[str, Any]]] = [("mail_sent", {"mail": row.kind, "message_id": row.message_id})]
            if row.kind == OutboxKind.FORWARD:
                ticket = await self._one(conn, t.tickets.c.id == row.ticket_id, lock=True)
                assert ticket is not None
                values: dict[str, Any] = {"delivery_status": "sent", "delivery_error": None, "updated_at": now}
                if Status.FORWARDED in ALLOWED[ticket.status]:
                    values.update(status=Status.FORWARDED.value, forwarded_at=ticket.forwarded_at or now)
                    events.append(("status", {"from": ticket.status.value, "to": Status.FORWARDED.value}))
                await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(**values))
            await conn.execute(t.ticket_events.insert(), [
                {"ticket_id": row.ticket_id, "at": now, "actor": "mailer", "kind": kind, "detail": detail}
                for kind, detail in events])

    async def retry_outbox(self, outbox_id: int, *, worker: str, error: str, at: datetime) -> None:
        """A temporary failure (connection refused, 4xx): back to pending until ``at``."""
        async with self.tx() as conn:
            row = await self._outbox_row(conn, outbox_id)
            if row.status == "sent":
                return
            await conn.execute(t.outbox.update().where(t.outbox.c.id == outbox_id).values(
                status="pending", next_attempt_at=at, claimed_by=None, claimed_until=None,
                last_error=error[:2000]))
            if row.ticket_id is not None and row.kind == OutboxKind.FORWARD:
                await conn.execute(t.tickets.update().where(t.tickets.c.id == row.ticket_id).values(
                    delivery_status="retrying", delivery_error=error[:2000]))

    async def fail_outbox(self, outbox_id: int, *, worker: str, error: str) -> None:
        """A permanent failure (5xx, or retries exhausted): visible on the ticket; a forward fails it."""
        async with self.tx() as conn:
            row = await self._outbox_row(conn, outbox_id)
            if row.status == "sent":
                return
            await self._fail_in(conn, row, error, actor="mailer")

    async def mark_bounced(self, message_id: str, *, error: str) -> int | None:
        """A bounce (DSN) names one of our messages: fail it as a 5xx would. Returns its ticket id, if any."""
        async with self.tx() as conn:
            found = (await conn.execute(sa.select(t.outbox).where(t.outbox.c.message_id == message_id.strip())
                                        .with_for_update())).first()
            if found is None:
                return None
            row = outbox_record(found)
            await self._fail_in(conn, row, f"bounced: {error}", actor="bounce")
        return row.ticket_id

    async def _fail_in(self, conn: AsyncConnection, row: OutboxRow, error: str, *, actor: str) -> None:
        await conn.execute(t.outbox.update().where(t.outbox.c.id == row.id).values(
            status="failed", claimed_by=None, claimed_until=None, last_error=error[:2000]))
        logger.warning("outbox %s failed permanently", row.id, extra={"outbox_id": row.id})
        if row.ticket_id is None:
            return
        await self.add_event(conn, row.ticket_id, actor=actor, kind="delivery_failed",
                             detail={"mail": row.kind, "message_id": row.message_id, "error": error[:500]})
        ticket = await self._one(conn, t.tickets.c.id == row.ticket_id, lock=True)
        assert ticket is not None
        if row.kind == OutboxKind.FORWARD:
            await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(
                delivery_status="failed", delivery_error=error[:2000], updated_at=self.now()))
            if Status.FAILED in ALLOWED[ticket.status]:
                await self._set_status(conn, ticket, Status.FAILED, actor=actor, reason=error[:500])
        else:
            await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(
                delivery_error=f"{row.kind}: {error}"[:2000], updated_at=self.now()))

    async def release_claims(self, worker: str) -> int:
        """Hand back what ``worker`` claimed but did not finish (on shutdown): pending again, now."""
        async with self.tx() as conn:
            result = await conn.execute(t.outbox.update().where(
                t.outbox.c.claimed_by == worker, t.outbox.c.status == "sending").values(
                status="pending", claimed_by=None, claimed_until=None, next_attempt_at=self.now()))
        return int(result.rowcount or 0)

    async def outbox_counts(self) -> dict[str, int]:
        """How many messages are in each status (for health checks and the CLI)."""
        async with self.read() as conn:
            rows = (await conn.execute(sa.select(t.outbox.c.status, sa.func.count())
                                       .group_by(t.outbox.c.status))).all()
        return {str(status): int(n) for status, n in rows}

    async def get_outbox(self, outbox_id: int) -> OutboxRow:
        async with self.read() as conn:
            return await self._outbox_row(conn, outbox_id)

    async def list_outbox(self, *, status: tuple[str, ...] | None = None, limit: int = 1000) -> list[OutboxRow]:
        where: Any = sa.true() if status is None else t.outbox.c.status.in_(list(status))
        async with self.read() as conn:
            rows = (await conn.execute(sa.select(t.outbox).where(where).order_by(t.outbox.c.id).limit(limit))).all()
        return [outbox_record(r) for r in rows]

    async def _outbox_row(self, conn: AsyncConnection, outbox_id: int) -> OutboxRow:
        row = (await conn.execute(sa.select(t.outbox).where(t.outbox.c.id == outbox_id).with_for_update())).first()
        if row is None:
            raise LookupError(f"no outbox message {outbox_id}")
        return outbox_record(row)
