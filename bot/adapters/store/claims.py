"""Once-only work across worker processes: claim keys with their mails and audit entries, deferred posts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bot.adapters.store import schema as t
from bot.adapters.store.records import OutgoingMail, TicketRow
from bot.adapters.store.tickets import TicketsRepo


@dataclass(frozen=True, slots=True)
class Claim:
    """Do something about ``ticket`` once ever: ``key`` goes into processed_events, ``detail`` into its audit log."""

    ticket: TicketRow
    key: str
    kind: str = "reminder"
    detail: Mapping[str, Any] = field(default_factory=dict)


async def claim_and_queue(store: TicketsRepo, claims: Sequence[Claim], *, actor: str,
                          compose: Callable[[Sequence[Claim]], Sequence[OutgoingMail]],
                          attach_to: TicketRow | None = None, source: str = "reminder") -> list[Claim]:
    """Claim what no one claimed before and queue ``compose(won)``, all in ONE transaction.

    A second worker doing the same waits on the first one's uncommitted keys (PostgreSQL) or its write
    lock (SQLite), then finds them taken: each claim is won once, and its mail is queued once.
    """
    won: list[Claim] = []
    async with store.tx() as conn:
        for claim in claims:
            if await store.insert_ignore(conn, t.processed_events,
                                         {"key": claim.key[:300], "source": source, "at": store.now()},
                                         keys=("key",)):
                won.append(claim)
                await store.add_event(conn, claim.ticket.id, actor=actor, kind=claim.kind, detail=claim.detail)
        if won:
            mails = compose(won)
            if mails:
                await store.queue_mails_in(conn, attach_to, mails, actor=actor)
    if won:
        store.outbox_wakeup.set()
    return won


async def defer(store: TicketsRepo, prefix: str, text: str) -> None:
    """Keep ``text`` under ``prefix`` for a later attempt (e.g. a Slack post that failed)."""
    async with store.tx() as conn:
        await conn.execute(t.kv_state.insert().values(key=f"{prefix}{store.now().strftime('%Y%m%dT%H%M%S')}."
                                                          f"{uuid.uuid4().hex[:8]}", value=text,
                                                      updated_at=store.now()))


async def deferred(store: TicketsRepo, prefix: str) -> list[tuple[str, str]]:
    """What is kept under ``prefix``, oldest first."""
    async with store.read() as conn:
        rows = (await conn.execute(sa.select(t.kv_state.c.key, t.kv_state.c.value).where(
            t.kv_state.c.key.startswith(prefix, autoescape=True)).order_by(t.kv_state.c.key))).all()
    return [(str(key), str(value)) for key, value in rows]


async def take(store: TicketsRepo, key: str) -> bool:
    """Remove one kept item; True for the one caller that removed it (so only that one acts on it)."""
    async with store.tx() as conn:
        result = await conn.execute(t.kv_state.delete().where(t.kv_state.c.key == key))
    return bool(result.rowcount)


async def put_back(store: TicketsRepo, key: str, text: str) -> None:
    async with store.tx() as conn:
        await store.insert_ignore(conn, t.kv_state, {"key": key, "value": text, "updated_at": store.now()},
                                  keys=("key",))
