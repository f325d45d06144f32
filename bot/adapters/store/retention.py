"""Retention: erase the personal data of tickets closed longer ago than RETENTION_MONTHS, keep the statistics.

What stays: the ticket's reference, organisation, right, article, status, channel, language, dates (so days to
close can still be counted), the organisation's contact address, and every audit event with its kind, time
and actor. What goes: the requester's address, name and evidence, the original text, the citations' quotes,
free-text reasons, the raw bytes and recipients of the ticket's mails, the raw inbound mail that led to it.

The audit log is append-only everywhere else in this code. Erasure is its one legal exception (GDPR Art. 5(1)(e)
storage limitation and Art. 17 erasure override keeping the details): event details are redacted in place,
keeping only non-personal keys, and one ``personal_data_erased`` event records who erased what and why.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.store import schema as t
from bot.adapters.store.base import StoreBase
from bot.core.tickets import TERMINAL_STATUSES, add_months

logger = logging.getLogger(__name__)

ERASED = "[erased]"
ERASURE_EVENT = "personal_data_erased"
# Detail keys whose values are never personal (statuses, dates, our own Message-IDs, ids and kinds).
_SAFE_KEYS = frozenset({"from", "mail", "message_id", "channel", "org", "right", "deadline", "status",
                        "duplicate_of", "threshold", "received_at", "tickets", "outbox", "inbound", "events"})
# ... and "to" is a status or a date for these kinds, a recipient address for the others.
_TO_IS_SAFE = frozenset({"status", "deadline_extended"})
_SQLITE_HATCH = "audit.purge"
_CLOSED = sorted(s.value for s in TERMINAL_STATUSES)


@dataclass(frozen=True, slots=True)
class Expired:
    """A closed ticket past retention (references and counts only: what ``purge --dry-run`` prints)."""

    reference: str
    status: str
    closed_at: datetime
    outbox: int
    inbound: int
    events: int


@dataclass
class PurgeReport:
    cutoff: datetime
    tickets: list[Expired] = field(default_factory=list)
    dry_run: bool = False
    # Mail not linked to any ticket (questions and their answers, digests) past retention.
    unlinked_outbox: int = 0
    unlinked_inbound: int = 0
    message_ids: list[str] = field(default_factory=list)  # of the erased mails (not filled by a dry run)

    @property
    def counts(self) -> dict[str, int]:
        return {"tickets": len(self.tickets), "outbox": sum(e.outbox for e in self.tickets),
                "inbound": sum(e.inbound for e in self.tickets), "events": sum(e.events for e in self.tickets)}


def retention_cutoff(now: datetime, months: int) -> datetime:
    """Tickets closed before this moment are past retention (``months`` calendar months ago)."""
    day = add_months(now.date(), -months)
    return now.replace(year=day.year, month=day.month, day=day.day)


async def find_expired(store: StoreBase, *, months: int, now: datetime | None = None) -> PurgeReport:
    """Closed tickets past retention whose personal data is still there."""
    cutoff = retention_cutoff(now or store.now(), months)
    c = t.tickets.c
    async with store.read() as conn:
        rows = (await conn.execute(sa.select(c.id, c.reference, c.status, c.closed_at).where(
            c.status.in_(_CLOSED), c.closed_at.is_not(None), c.closed_at < cutoff, c.original_text != ERASED,
        ).order_by(c.closed_at, c.id))).all()
        report = PurgeReport(cutoff=cutoff)
        for row in rows:
            counts = await _counts(conn, row.id)
            report.tickets.append(Expired(row.reference, row.status, row.closed_at, **counts))
        report.unlinked_outbox = await _count_where(conn, t.outbox, _old_outbox(cutoff))
        report.unlinked_inbound = await _count_where(conn, t.inbound_messages, _old_inbound(cutoff))
    return report


def _old_outbox(cutoff: datetime) -> Any:
    c = t.outbox.c
    return sa.and_(c.ticket_id.is_(None), c.created_at < cutoff, c.status.in_(("sent", "failed")),
                   sa.func.length(c.raw) > 0)


def _old_inbound(cutoff: datetime) -> Any:
    c = t.inbound_messages.c
    return sa.and_(c.ticket_id.is_(None), c.received_at < cutoff, c.status.in_(("done", "ignored", "quarantined")),
                   sa.func.length(c.raw) > 0)


async def _count_where(conn: AsyncConnection, table: sa.Table, where: Any) -> int:
    return int((await conn.execute(sa.select(sa.func.count()).select_from(table).where(where))).scalar_one())


async def purge_expired(store: StoreBase, *, months: int, actor: str = "retention",
                        dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Erase the personal data of every closed ticket past retention; ``dry_run`` only reports."""
    report = await find_expired(store, months=months, now=now)
    report.dry_run = dry_run
    if dry_run:
        return report
    if report.unlinked_outbox or report.unlinked_inbound:
        async with store.tx() as conn:
            report.message_ids += await erase_outbox(conn, _old_outbox(report.cutoff))
            await erase_inbound(conn, _old_inbound(report.cutoff))
    if not report.tickets:
        return report
    references = [e.reference for e in report.tickets]
    for start in range(0, len(references), 100):
        async with store.tx() as conn:
            # Locked and re-checked: a second worker purging at the same moment waits, then skips these.
            ids = (await conn.execute(sa.select(t.tickets.c.id).where(
                t.tickets.c.reference.in_(references[start:start + 100]),
                t.tickets.c.original_text != ERASED).with_for_update())).scalars().all()
            for ticket_id in ids:
                report.message_ids += await erase_ticket(store, conn, ticket_id, actor=actor, reason="retention",
                                                         detail={"retention_months": months})
    logger.info("retention: erased personal data of %d ticket(s) closed before %s", len(references),
                report.cutoff.date().isoformat())
    return report


async def erase_ticket(store: StoreBase, conn: AsyncConnection, ticket_id: int, *, actor: str, reason: str,
                       detail: Mapping[str, Any] | None = None) -> list[str]:
    """Erase one ticket's personal data inside the caller's transaction; returns its mails' Message-IDs."""
    counts = await _counts(conn, ticket_id)
    now = store.now()
    await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket_id).values(
        requester_address=None, requester_name=None, requester_evidence=[], external_id=None,
        original_text=ERASED, citations=await _bare_citations(conn, ticket_id), delivery_error=None,
        refusal_reason=sa.case((t.tickets.c.refusal_reason.is_(None), sa.null()), else_=ERASED),
        extension_reason=sa.case((t.tickets.c.extension_reason.is_(None), sa.null()), else_=ERASED),
        updated_at=now))
    message_ids = await erase_outbox(conn, t.outbox.c.ticket_id == ticket_id)
    await erase_inbound(conn, t.inbound_messages.c.ticket_id == ticket_id)
    events = (await conn.execute(sa.select(t.ticket_events.c.id, t.ticket_events.c.kind, t.ticket_events.c.detail)
                                 .where(t.ticket_events.c.ticket_id == ticket_id))).all()
    changed = [(event_id, new) for event_id, kind, old in events if (new := redact_detail(kind, old or {})) != old]
    if changed:
        async with audit_redaction(conn):
            for event_id, new in changed:
                await conn.execute(t.ticket_events.update().where(t.ticket_events.c.id == event_id)
                                   .values(detail=new))
    await store.add_event(conn, ticket_id, actor=actor, kind=ERASURE_EVENT,
                          detail={"reason": reason, **counts, **dict(detail or {})})
    return message_ids


@asynccontextmanager
async def audit_redaction(conn: AsyncConnection) -> AsyncIterator[None]:
    """Open the database's append-only guard on ticket_events for this transaction only (migration 0001)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(sa.text("SET LOCAL privacy_bot.purge = 'on'"))
        try:
            yield
        finally:
            await conn.execute(sa.text("SET LOCAL privacy_bot.purge = 'off'"))
        return
    await conn.execute(t.kv_state.insert().values(key=_SQLITE_HATCH, value="on", updated_at=datetime.now(UTC)))
    try:
        yield
    finally:
        await conn.execute(t.kv_state.delete().where(t.kv_state.c.key == _SQLITE_HATCH))


def redact_detail(kind: str, detail: Mapping[str, Any]) -> dict[str, Any]:
    """An audit event's detail with every value that could be personal replaced by ``[erased]``."""
    if kind == ERASURE_EVENT:
        return dict(detail)
    out: dict[str, Any] = {}
    for key, value in detail.items():
        safe = key in _SAFE_KEYS or (key == "to" and kind in _TO_IS_SAFE)
        out[key] = value if safe or value in (None, "", [], {}) else ERASED
    return out


async def erase_outbox(conn: AsyncConnection, where: Any) -> list[str]:
    """Empty the raw bytes and recipients of matching mails; an unsent one is cancelled, never sent empty.

    Returns their Message-IDs, so copies kept outside the database (``.eml`` files) can go too.
    """
    c = t.outbox.c
    ids = [str(m) for m in (await conn.execute(sa.select(c.message_id).where(where))).scalars().all()]
    await conn.execute(t.outbox.update().where(where, c.status.in_(("pending", "sending"))).values(
        status="failed", claimed_by=None, claimed_until=None, last_error="cancelled: personal data erased"))
    await conn.execute(t.outbox.update().where(where).values(raw=b"", recipients=[]))
    return ids


async def erase_inbound(conn: AsyncConnection, where: Any) -> int:
    """Empty matching raw inbound mail; the row stays (its dedupe key still stops a redelivery)."""
    c = t.inbound_messages.c
    result = await conn.execute(t.inbound_messages.update().where(where).values(
        raw=b"", message_id=None, outcome=None, error=sa.case((c.error.is_(None), sa.null()), else_=ERASED)))
    return int(result.rowcount or 0)


async def _bare_citations(conn: AsyncConnection, ticket_id: int) -> list[dict[str, Any]]:
    citations = (await conn.execute(sa.select(t.tickets.c.citations)
                                    .where(t.tickets.c.id == ticket_id))).scalar_one() or []
    keep = ("org", "section", "passage_id")
    return [{k: c[k] for k in keep if k in c} for c in citations if isinstance(c, dict)]


async def _counts(conn: AsyncConnection, ticket_id: int) -> dict[str, int]:
    async def count(table: sa.Table, column: Any) -> int:
        return int((await conn.execute(sa.select(sa.func.count()).select_from(table)
                                       .where(column == ticket_id))).scalar_one())

    return {"outbox": await count(t.outbox, t.outbox.c.ticket_id),
            "inbound": await count(t.inbound_messages, t.inbound_messages.c.ticket_id),
            "events": await count(t.ticket_events, t.ticket_events.c.ticket_id)}


def summarise(report: PurgeReport) -> Sequence[str]:
    """Lines for the CLI: references, statuses, closing dates and counts, never personal data."""
    lines = [f"{e.reference}  {e.status:<10} closed {e.closed_at.date().isoformat()}  "
             f"mails {e.outbox}  inbound {e.inbound}  audit events {e.events}" for e in report.tickets]
    counts = report.counts
    verb = "would erase" if report.dry_run else "erased"
    lines.append(f"{verb} personal data of {counts['tickets']} ticket(s) closed before "
                 f"{report.cutoff.date().isoformat()}: {counts['outbox']} mail(s), {counts['inbound']} inbound "
                 f"message(s); {counts['events']} audit event(s) kept with personal details redacted")
    lines.append(f"{verb} {report.unlinked_outbox} answer/digest mail(s) and {report.unlinked_inbound} inbound "
                 "message(s) not linked to a ticket, older than the cutoff")
    return lines
