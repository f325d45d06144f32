"""The e-mail channel's writes over the store: outcomes with their replies, thread replies, bounces, limits."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.store import schema as t
from bot.adapters.store.base import outbox_record, ticket_record
from bot.adapters.store.records import OutboxKind, OutgoingMail, TicketRow
from bot.adapters.store.store import Store
from bot.core.mail_rules import reply_allowed
from bot.core.tickets import ALLOWED, Status

logger = logging.getLogger(__name__)

MAIL_ACTOR = "mail"
TERMINAL_INBOUND = ("done", "quarantined", "ignored")
_REPLY_LOG_PREFIX = "mail.replies:"


def _sender_key(address: str) -> str:
    # Hashed: the key is visible in admin tools and need not spell out the address.
    return _REPLY_LOG_PREFIX + hashlib.sha256(address.strip().lower().encode()).hexdigest()[:40]


async def _reserve_reply(store: Store, conn: AsyncConnection, address: str, *, limit: int,
                         window: timedelta) -> bool:
    """Count one automatic reply to ``address`` unless it already had ``limit`` in ``window``."""
    key, now = _sender_key(address), store.now()
    await store.insert_ignore(conn, t.kv_state, {"key": key, "value": "[]", "updated_at": now}, keys=("key",))
    value = (await conn.execute(sa.select(t.kv_state.c.value).where(t.kv_state.c.key == key)
                                .with_for_update())).scalar_one()
    try:
        times = [datetime.fromisoformat(x) for x in json.loads(value)]
    except (ValueError, TypeError):
        times = []
    times = [x for x in times if x > now - window]
    if not reply_allowed(times, now, limit=limit, window=window):
        return False
    times.append(now)
    await conn.execute(t.kv_state.update().where(t.kv_state.c.key == key).values(
        value=json.dumps([x.isoformat() for x in times[-limit:]]), updated_at=now))
    return True


async def forget_reply_counts(store: Store, *, older_than: timedelta = timedelta(days=1)) -> int:
    """Drop per-sender reply counters nobody has written to for ``older_than`` (they only matter for an hour)."""
    async with store.tx() as conn:
        result = await conn.execute(t.kv_state.delete().where(
            t.kv_state.c.key.like(_REPLY_LOG_PREFIX + "%"), t.kv_state.c.updated_at < store.now() - older_than))
    return int(result.rowcount or 0)


async def finish_message(store: Store, inbound_id: int, *, status: str, outcome: Mapping[str, Any],
                         reply: OutgoingMail | None = None, reply_to: str | None = None,
                         ticket_id: int | None = None, error: str | None = None,
                         limit: int = 3, window: timedelta = timedelta(hours=1)) -> bool:
    """Record a message's outcome and queue its reply in ONE transaction; True when the reply was queued.

    The reply is dropped (and the outcome says so) when ``reply_to`` already had ``limit`` automatic
    replies within ``window``: RFC 3834 5.1 asks responders to limit their rate.
    """
    if status not in TERMINAL_INBOUND:
        raise ValueError(f"not a final inbound status: {status!r}")
    result = dict(outcome)
    queued = False
    async with store.tx() as conn:
        if reply is not None and (reply_to is None or await _reserve_reply(store, conn, reply_to, limit=limit,
                                                                           window=window)):
            ticket = None
            if ticket_id is not None:
                row = (await conn.execute(sa.select(t.tickets).where(t.tickets.c.id == ticket_id))).first()
                ticket = None if row is None else ticket_record(row)
            await store.queue_mails_in(conn, ticket, [reply], actor=MAIL_ACTOR)
            result["reply"] = reply.message_id
            queued = True
        elif reply is not None:
            result["reply"] = None
            result["reply_suppressed"] = "rate limit"
        await conn.execute(t.inbound_messages.update().where(t.inbound_messages.c.id == inbound_id).values(
            status=status, ticket_id=ticket_id, outcome=result, error=None if error is None else error[:2000],
            claimed_by=None, claimed_until=None))
    if queued:
        store.outbox_wakeup.set()
    return queued


async def find_thread_ticket(store: Store, message_ids: Sequence[str], reference: str | None) -> TicketRow | None:
    """The ticket a message continues: one of our mails or the requester's first mail in its References,
    else the ``[DSR-…]`` tag in its subject."""
    ids = [m for m in message_ids if m][:60]
    if not ids and not reference:
        return None
    async with store.read() as conn:
        if ids:
            row = (await conn.execute(sa.select(t.tickets).join(t.outbox, t.outbox.c.ticket_id == t.tickets.c.id)
                                      .where(t.outbox.c.message_id.in_(ids)).limit(1))).first()
            if row is None:
                row = (await conn.execute(sa.select(t.tickets).where(
                    t.tickets.c.channel == "email", t.tickets.c.external_id.in_(ids))
                    .order_by(t.tickets.c.id).limit(1))).first()
            if row is not None:
                return ticket_record(row)
        if reference:
            row = (await conn.execute(sa.select(t.tickets).where(t.tickets.c.reference == reference))).first()
            if row is not None:
                return ticket_record(row)
    return None


async def append_to_ticket(store: Store, inbound_id: int, ticket: TicketRow, *, detail: Mapping[str, Any]) -> None:
    """Add a received mail to a ticket's timeline (staff see it) and finish the message, in one transaction."""
    async with store.tx() as conn:
        await store.add_event(conn, ticket.id, actor=MAIL_ACTOR, kind="mail_received", detail=dict(detail))
        await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(updated_at=store.now()))
        await conn.execute(t.inbound_messages.update().where(t.inbound_messages.c.id == inbound_id).values(
            status="done", ticket_id=ticket.id, outcome={"action": "thread", "ticket": ticket.reference},
            error=None, claimed_by=None, claimed_until=None))
    logger.info("mail appended to ticket %s", ticket.reference, extra={"ticket": ticket.reference})


async def record_bounce(store: Store, inbound_id: int, *, original_message_id: str | None,
                        reference: str | None, permanent: bool, detail: Mapping[str, Any]) -> str | None:
    """A delivery report: on the ticket's timeline; a permanent failure of a forward fails its delivery.

    Returns the reference of the ticket concerned, if any.
    """
    outcome: dict[str, Any] = {"action": "bounce", "permanent": permanent}
    ticket_ref: str | None = None
    async with store.tx() as conn:
        sent = None
        if original_message_id:
            row = (await conn.execute(sa.select(t.outbox).where(t.outbox.c.message_id == original_message_id))).first()
            sent = None if row is None else outbox_record(row)
        ticket_id = sent.ticket_id if sent is not None else None
        if ticket_id is None and reference:
            ticket_id = (await conn.execute(sa.select(t.tickets.c.id)
                                            .where(t.tickets.c.reference == reference))).scalar_one_or_none()
        if ticket_id is not None:
            row = (await conn.execute(sa.select(t.tickets).where(t.tickets.c.id == ticket_id)
                                      .with_for_update())).first()
            assert row is not None
            ticket = ticket_record(row)
            ticket_ref = ticket.reference
            mail_kind = sent.kind if sent is not None else None
            await store.add_event(conn, ticket.id, actor=MAIL_ACTOR, kind="bounce",
                                  detail={**detail, "mail": mail_kind, "permanent": permanent})
            if permanent and mail_kind == OutboxKind.FORWARD:
                error = f"bounced: {detail.get('status') or ''} {detail.get('diagnostic') or ''}".strip()[:2000]
                await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(
                    delivery_status="failed", delivery_error=error, updated_at=store.now()))
                if Status.FAILED in ALLOWED[ticket.status]:
                    await store._set_status(conn, ticket, Status.FAILED, actor=MAIL_ACTOR, reason=error[:500])
                outcome["delivery_failed"] = True
            outcome["ticket"] = ticket.reference
        await conn.execute(t.inbound_messages.update().where(t.inbound_messages.c.id == inbound_id).values(
            status="ignored", ticket_id=ticket_id, outcome=outcome, error=None, claimed_by=None,
            claimed_until=None))
    if outcome.get("delivery_failed"):
        logger.warning("forward of ticket %s bounced: delivery failed", ticket_ref, extra={"ticket": ticket_ref})
    return ticket_ref


async def inbound_status(store: Store, dedupe_keys: Sequence[str]) -> dict[str, str]:
    """The queue status of each stored message, by dedupe key (for the IMAP poller's flagging)."""
    if not dedupe_keys:
        return {}
    c = t.inbound_messages.c
    async with store.read() as conn:
        rows = (await conn.execute(sa.select(c.dedupe_key, c.status).where(c.dedupe_key.in_(list(dedupe_keys))))).all()
    return {str(k): str(s) for k, s in rows}
