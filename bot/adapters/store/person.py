"""Everything the bot holds about one person (e-mail address or Slack user id): export it, or erase it."""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.store import schema as t
from bot.adapters.store.base import StoreBase, event_record, inbound_record, outbox_record, ticket_record
from bot.adapters.store.records import InboundRow, OutboxRow, TicketRow
from bot.adapters.store.retention import erase_inbound, erase_outbox, erase_ticket
from bot.errors import InvalidInput

logger = logging.getLogger(__name__)

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,20}$")
# kv_state keys the bot itself writes (heartbeats, erasure records) never hold a person's data.
_OWN_STATE = ("audit.erasure.",)
ERASURE_RECORD_PREFIX = "audit.erasure."
_SCAN_BATCH = 200


@dataclass(frozen=True, slots=True)
class Subject:
    """The person asked about: ``kind`` is "email" (matched case-insensitively) or "slack"."""

    kind: str
    value: str

    @property
    def needle(self) -> str:
        return self.value.lower() if self.kind == "email" else self.value


def parse_subject(text: str) -> Subject:
    """An e-mail address or a Slack user id (``U…``/``W…``); anything else is refused plainly."""
    value = (text or "").strip()
    if _EMAIL.match(value) and len(value) <= 320:
        return Subject("email", value)
    if _SLACK_USER.match(value):
        return Subject("slack", value)
    raise InvalidInput("give an e-mail address (anna@example.org) or a Slack user id (U012AB3CD)")


@dataclass
class Holdings:
    """The rows that concern the subject."""

    tickets: list[TicketRow] = field(default_factory=list)
    outbox: list[OutboxRow] = field(default_factory=list)  # mails not linked to one of ``tickets``
    inbound: list[InboundRow] = field(default_factory=list)  # raw mail not linked to one of ``tickets``
    state: list[tuple[str, str]] = field(default_factory=list)  # Slack conversation state and the like


@dataclass(frozen=True, slots=True)
class ErasureSummary:
    tickets: tuple[str, ...]
    outbox: int
    inbound: int
    state: int
    message_ids: tuple[str, ...] = ()  # of every erased mail, for copies outside the database

    @property
    def nothing(self) -> bool:
        return not (self.tickets or self.outbox or self.inbound or self.state)


async def find_holdings(store: StoreBase, subject: Subject) -> Holdings:
    async with store.read() as conn:
        return await _holdings(conn, subject)


async def export_person(store: StoreBase, subject: Subject) -> dict[str, Any]:
    """A JSON-ready document of every ticket (with its audit trail and mails), mail and state about them."""
    async with store.read() as conn:
        found = await _holdings(conn, subject)
        tickets = []
        for ticket in found.tickets:
            events = (await conn.execute(sa.select(t.ticket_events).where(t.ticket_events.c.ticket_id == ticket.id)
                                         .order_by(t.ticket_events.c.id))).all()
            mails = (await conn.execute(sa.select(t.outbox).where(t.outbox.c.ticket_id == ticket.id)
                                        .order_by(t.outbox.c.id))).all()
            raws = (await conn.execute(sa.select(t.inbound_messages).where(
                t.inbound_messages.c.ticket_id == ticket.id).order_by(t.inbound_messages.c.id))).all()
            tickets.append({**_ticket_json(ticket),
                            "audit": [_event_json(event_record(e)) for e in events],
                            "mails": [_outbox_json(outbox_record(m)) for m in mails],
                            "inbound_mail": [_inbound_json(inbound_record(r)) for r in raws]})
    return {
        "subject": {"kind": subject.kind, "value": subject.value},
        "generated_at": store.now().isoformat(),
        "tickets": tickets,
        "mails": [_outbox_json(m) for m in found.outbox],
        "inbound_mail": [_inbound_json(r) for r in found.inbound],
        "conversation_state": [{"key": k, "value": v} for k, v in found.state],
    }


async def erase_person(store: StoreBase, subject: Subject, *, actor: str) -> ErasureSummary:
    """Erase all of it in one transaction; each ticket gets a ``personal_data_erased`` audit event naming
    ``actor``, and an erasure record (references and counts, never the subject) is kept in kv_state."""
    async with store.tx() as conn:
        found = await _holdings(conn, subject)
        message_ids: list[str] = []
        for ticket in found.tickets:
            message_ids += await erase_ticket(store, conn, ticket.id, actor=actor, reason="erasure request")
        outbox_ids = [m.id for m in found.outbox]
        inbound_ids = [r.id for r in found.inbound]
        if outbox_ids:
            message_ids += await erase_outbox(conn, t.outbox.c.id.in_(outbox_ids))
        if inbound_ids:
            await erase_inbound(conn, t.inbound_messages.c.id.in_(inbound_ids))
        if found.state:
            await conn.execute(t.kv_state.delete().where(t.kv_state.c.key.in_([k for k, _ in found.state])))
        summary = ErasureSummary(tuple(x.reference for x in found.tickets), len(outbox_ids), len(inbound_ids),
                                 len(found.state), tuple(message_ids))
        now = store.now()
        record = {"actor": actor, "at": now.isoformat(), "subject_kind": subject.kind,
                  "tickets": list(summary.tickets), "mails": summary.outbox, "inbound_mail": summary.inbound,
                  "conversation_state": summary.state}
        await conn.execute(t.kv_state.insert().values(
            key=f"{ERASURE_RECORD_PREFIX}{now.strftime('%Y%m%dT%H%M%S')}.{uuid.uuid4().hex[:8]}",
            value=json.dumps(record), updated_at=now))
    logger.info("erased personal data on request: %d ticket(s), %d mail(s), %d inbound message(s)",
                len(summary.tickets), summary.outbox, summary.inbound)
    return summary


async def _holdings(conn: AsyncConnection, subject: Subject) -> Holdings:
    needle = subject.needle
    c = t.tickets.c
    candidates = (await conn.execute(sa.select(t.tickets).where(sa.or_(
        sa.func.lower(c.requester_address) == needle.lower(),
        sa.func.lower(sa.cast(c.requester_evidence, sa.Text)).contains(needle.lower(), autoescape=True),
    )).order_by(c.id))).all()
    tickets = [tk for tk in (ticket_record(r) for r in candidates) if _ticket_matches(tk, subject)]
    ids = {tk.id for tk in tickets}
    found = Holdings(tickets=tickets)
    if subject.kind == "email":
        o = t.outbox.c
        rows = (await conn.execute(sa.select(t.outbox).where(
            sa.func.lower(sa.cast(o.recipients, sa.Text)).contains(needle, autoescape=True)).order_by(o.id))).all()
        found.outbox = [m for m in (outbox_record(r) for r in rows)
                        if m.ticket_id not in ids and any(x.lower() == needle for x in m.recipients)]
        found.inbound = await _inbound_mentioning(conn, needle.encode("utf-8"), exclude_tickets=ids)
    k = t.kv_state.c
    state = (await conn.execute(sa.select(k.key, k.value).where(
        sa.func.lower(k.value).contains(subject.value.lower(), autoescape=True))
                                .order_by(k.key))).all()
    found.state = [(key, value) for key, value in state if not key.startswith(_OWN_STATE)]
    return found


def _ticket_matches(ticket: TicketRow, subject: Subject) -> bool:
    if subject.kind == "email":
        values = [ticket.requester_address or ""] + [v for _, v in ticket.requester_evidence]
        return any(v.strip().lower() == subject.needle for v in values)
    return ticket.requester_address == subject.value or any(v == subject.value for _, v in ticket.requester_evidence)


async def _inbound_mentioning(conn: AsyncConnection, needle: bytes, *, exclude_tickets: set[int]) -> list[InboundRow]:
    """Raw inbound mail whose bytes name the address (case-insensitively), scanned in batches."""
    c = t.inbound_messages.c
    hits: list[int] = []
    last = 0
    while True:
        batch = (await conn.execute(sa.select(c.id, c.raw, c.ticket_id).where(c.id > last).order_by(c.id)
                                    .limit(_SCAN_BATCH))).all()
        if not batch:
            break
        last = batch[-1].id
        hits += [row.id for row in batch if row.ticket_id not in exclude_tickets and needle in bytes(row.raw).lower()]
    if not hits:
        return []
    rows = (await conn.execute(sa.select(t.inbound_messages).where(c.id.in_(hits)).order_by(c.id))).all()
    return [inbound_record(r) for r in rows]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _ticket_json(ticket: TicketRow) -> dict[str, Any]:
    names = ("reference", "org", "right", "article", "language", "channel", "requester_address", "requester_name",
             "external_id", "original_text", "contact_address", "received_at", "forwarded_at", "acknowledged_at",
             "closed_at", "deadline", "extended_deadline", "extension_reason", "refusal_reason", "duplicate_of",
             "delivery_status")
    out = {name: _iso(getattr(ticket, name)) for name in names}
    out["status"] = ticket.status.value
    out["requester_evidence"] = [list(pair) for pair in ticket.requester_evidence]
    out["citations"] = [dict(c) for c in ticket.citations]
    return out


def _event_json(event: Any) -> dict[str, Any]:
    return {"at": event.at.isoformat(), "actor": event.actor, "kind": event.kind, "detail": dict(event.detail)}


def _outbox_json(mail: OutboxRow) -> dict[str, Any]:
    return {"kind": mail.kind, "message_id": mail.message_id, "from": mail.mail_from,
            "recipients": list(mail.recipients), "status": mail.status, "created_at": mail.created_at.isoformat(),
            "sent_at": _iso(mail.sent_at), "raw": mail.raw.decode("utf-8", "replace")}


def _inbound_json(row: InboundRow) -> dict[str, Any]:
    return {"transport": row.transport, "message_id": row.message_id, "received_at": row.received_at.isoformat(),
            "status": row.status, "raw": row.raw.decode("utf-8", "replace")}


def erasure_records(rows: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Parse kv_state erasure records (for staff pages and tests)."""
    return [json.loads(value) for key, value in rows if key.startswith(ERASURE_RECORD_PREFIX)]
