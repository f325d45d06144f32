"""Filing tickets (ticket + outbox in one transaction, duplicates linked) and reading them back."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.store import schema as t
from bot.adapters.store.base import StoreBase, event_record, outbox_record, ticket_record
from bot.adapters.store.records import (
    ComposeMails,
    EventRow,
    FiledResult,
    NewTicket,
    OutboxRow,
    OutgoingMail,
    TicketNotFound,
    TicketPage,
    TicketQuery,
    TicketRow,
)
from bot.core.tickets import OPEN_STATUSES, Status, format_reference

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "bot"
_OPEN = sorted(s.value for s in OPEN_STATUSES)
EFFECTIVE_DEADLINE = sa.func.coalesce(t.tickets.c.extended_deadline, t.tickets.c.deadline)


class TicketsRepo(StoreBase):
    async def file_request(self, new: NewTicket, compose: ComposeMails) -> FiledResult:
        """Create the ticket and queue the mails ``compose`` builds for it, in ONE transaction.

        A repeat by the same requester to the same organisation for the same right while a ticket is open
        returns that ticket (``duplicate=True``) with an audit entry and queues nothing. The same inquiry
        filed twice (same channel + external id, e.g. a Slack retry) returns the first ticket.
        """
        try:
            return await self._file(new, compose)
        except sa.exc.IntegrityError:
            # Two processes filed the same inquiry at the same moment: the unique (channel, external id)
            # index let one through; answer with its ticket.
            if not new.external_id:
                raise
            async with self.read() as conn:
                same = await self._one(conn, sa.and_(t.tickets.c.channel == new.channel,
                                                     t.tickets.c.external_id == new.external_id))
            if same is None:
                raise
            return FiledResult(same, existing=True)

    async def _file(self, new: NewTicket, compose: ComposeMails) -> FiledResult:
        async with self.tx() as conn:
            if new.external_id:
                same = await self._one(conn, sa.and_(t.tickets.c.channel == new.channel,
                                                     t.tickets.c.external_id == new.external_id))
                if same is not None:
                    return FiledResult(same, existing=True)
            year = new.received_at.year
            if new.requester_address:
                if conn.dialect.name == "postgresql":
                    # Twins (same requester, organisation and right) filed at once queue here, so the
                    # duplicate check below sees the first one; SQLite's BEGIN IMMEDIATE already serialises.
                    key = f"{new.org}\n{new.right}\n{new.requester_address.lower()}"
                    await conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                                       {"key": key})
                open_twin = await self._one(conn, sa.and_(
                    t.tickets.c.org == new.org, t.tickets.c.right == new.right,
                    sa.func.lower(t.tickets.c.requester_address) == new.requester_address.lower(),
                    t.tickets.c.status.in_(_OPEN)))
                if open_twin is not None:
                    await self.add_event(conn, open_twin.id, actor=SYSTEM_ACTOR, kind="duplicate_request", detail={
                        "channel": new.channel, "external_id": new.external_id,
                        "received_at": new.received_at.isoformat(), "text": new.original_text})
                    logger.info("request repeats open ticket %s", open_twin.reference,
                                extra={"ticket": open_twin.reference})
                    return FiledResult(open_twin, duplicate=True)
            # Taken last and held until commit: the counter row lock is what serialises all filings.
            number = await self._next_number(conn, year)
            reference = format_reference(year, number)
            now = self.now()
            status = Status.NEW if new.contact_address else Status.NEEDS_ROUTING
            inserted = (await conn.execute(t.tickets.insert().values(
                reference=reference, org=new.org, right=new.right, article=new.article, status=status.value,
                language=new.language, channel=new.channel, requester_address=new.requester_address,
                requester_name=new.requester_name, requester_evidence=[list(p) for p in new.requester_evidence],
                external_id=new.external_id, original_text=new.original_text,
                citations=[dict(c) for c in new.citations], contact_address=new.contact_address,
                received_at=new.received_at, deadline=new.deadline,
                delivery_status="pending" if new.contact_address else "none",
                created_at=now, updated_at=now,
            ).returning(*t.tickets.c))).one()
            ticket = ticket_record(inserted)
            created = {"status": status.value, "channel": new.channel, "org": new.org, "right": new.right,
                       "deadline": new.deadline.isoformat()}
            await self.queue_mails_in(conn, ticket, compose(ticket), actor=SYSTEM_ACTOR,
                                      first_events=[("created", created)])
        self.outbox_wakeup.set()
        logger.info("filed ticket %s (%s, %s)", reference, new.org, status.value, extra={"ticket": reference})
        return FiledResult(ticket)

    async def queue_mails_in(self, conn: AsyncConnection, ticket: TicketRow | None,
                             mails: Sequence[OutgoingMail], *, actor: str,
                             first_events: Sequence[tuple[str, dict[str, Any]]] = ()) -> None:
        """Insert mails into the outbox inside the caller's transaction (audited when for a ticket)."""
        now = self.now()
        ticket_id = None if ticket is None else ticket.id
        if mails:
            await conn.execute(t.outbox.insert(), [{
                "ticket_id": ticket_id, "kind": mail.kind, "message_id": mail.message_id,
                "mail_from": mail.mail_from, "recipients": list(mail.recipients), "raw": mail.raw,
                "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now} for mail in mails])
        if ticket_id is None:
            return
        events = [*first_events, *(("mail_queued", {"mail": m.kind, "message_id": m.message_id,
                                                    "to": list(m.recipients)}) for m in mails)]
        if events:
            await conn.execute(t.ticket_events.insert(), [
                {"ticket_id": ticket_id, "at": now, "actor": actor, "kind": kind, "detail": detail}
                for kind, detail in events])

    async def queue_mails(self, reference: str | None, mails: Sequence[OutgoingMail], *,
                          actor: str = SYSTEM_ACTOR) -> None:
        """Queue mails (a reply, a reminder, a notice), attached to a ticket when ``reference`` is given."""
        async with self.tx() as conn:
            ticket = None if reference is None else await self._by_ref(conn, reference)
            await self.queue_mails_in(conn, ticket, mails, actor=actor)
        self.outbox_wakeup.set()

    async def get_ticket(self, reference: str) -> TicketRow | None:
        async with self.read() as conn:
            return await self._one(conn, t.tickets.c.reference == reference.strip().upper())

    async def get_ticket_by_id(self, ticket_id: int) -> TicketRow | None:
        async with self.read() as conn:
            return await self._one(conn, t.tickets.c.id == ticket_id)

    async def find_ticket_by_message(self, message_ids: Sequence[str]) -> TicketRow | None:
        """The ticket one of our outgoing messages belongs to (for replies threaded by In-Reply-To)."""
        if not message_ids:
            return None
        async with self.read() as conn:
            row = (await conn.execute(sa.select(t.tickets).join(t.outbox, t.outbox.c.ticket_id == t.tickets.c.id)
                                      .where(t.outbox.c.message_id.in_(list(message_ids))).limit(1))).first()
            return None if row is None else ticket_record(row)

    async def list_tickets(self, query: TicketQuery | None = None, *, today: date | None = None) -> TicketPage:
        """A page of the queue, soonest (effective) deadline first."""
        query = query or TicketQuery()
        where = self._filters(query, today or self.now().date())
        per_page = max(1, min(query.per_page, 1000))
        page = max(1, query.page)
        async with self.read() as conn:
            total = (await conn.execute(sa.select(sa.func.count()).select_from(t.tickets).where(where))).scalar_one()
            rows = (await conn.execute(sa.select(t.tickets).where(where)
                                       .order_by(EFFECTIVE_DEADLINE, t.tickets.c.id)
                                       .limit(per_page).offset((page - 1) * per_page))).all()
        return TicketPage(tuple(ticket_record(r) for r in rows), total, page, per_page)

    async def iter_tickets(self, query: TicketQuery | None = None, *, today: date | None = None) -> list[TicketRow]:
        """Every ticket matching the filters (no paging), soonest deadline first: for exports."""
        query = query or TicketQuery()
        where = self._filters(query, today or self.now().date())
        async with self.read() as conn:
            rows = (await conn.execute(sa.select(t.tickets).where(where)
                                       .order_by(EFFECTIVE_DEADLINE, t.tickets.c.id))).all()
        return [ticket_record(r) for r in rows]

    async def events(self, reference: str) -> list[EventRow]:
        """The ticket's audit timeline, oldest first."""
        async with self.read() as conn:
            ticket = await self._by_ref(conn, reference)
            rows = (await conn.execute(sa.select(t.ticket_events).where(t.ticket_events.c.ticket_id == ticket.id)
                                       .order_by(t.ticket_events.c.id))).all()
        return [event_record(r) for r in rows]

    async def outbox_for_ticket(self, reference: str) -> list[OutboxRow]:
        """The mails queued for a ticket (forward, acknowledgement, ...) with their delivery state."""
        async with self.read() as conn:
            ticket = await self._by_ref(conn, reference)
            rows = (await conn.execute(sa.select(t.outbox).where(t.outbox.c.ticket_id == ticket.id)
                                       .order_by(t.outbox.c.id))).all()
        return [outbox_record(r) for r in rows]

    @staticmethod
    def _filters(query: TicketQuery, today: date) -> Any:
        c = t.tickets.c
        clauses: list[Any] = []
        if query.status:
            clauses.append(c.status.in_(list(query.status)))
        if query.open_only or query.overdue:
            clauses.append(c.status.in_(_OPEN))
        if query.overdue:
            clauses.append(sa.literal(today, sa.Date) > EFFECTIVE_DEADLINE)
        for column, value in ((c.right, query.right), (c.org, query.org), (c.channel, query.channel)):
            if value:
                clauses.append(column == value)
        if query.text and query.text.strip():
            needle = query.text.strip().lower()
            clauses.append(sa.or_(*(sa.func.lower(col).contains(needle, autoescape=True) for col in (
                c.reference, c.requester_address, c.requester_name, c.original_text, c.org, c.contact_address))))
        return sa.and_(sa.true(), *clauses)

    async def _next_number(self, conn: AsyncConnection, year: int) -> int:
        counter = t.reference_counters
        bump = counter.update().where(counter.c.year == year).values(last=counter.c.last + 1).returning(counter.c.last)
        number: int | None = (await conn.execute(bump)).scalar_one_or_none()
        if number is None:
            await self.insert_ignore(conn, counter, {"year": year, "last": 0}, keys=("year",))
            number = (await conn.execute(bump)).scalar_one()
        return number

    async def _one(self, conn: AsyncConnection, where: Any, *, lock: bool = False) -> TicketRow | None:
        stmt = sa.select(t.tickets).where(where).order_by(t.tickets.c.id).limit(1)
        row = (await conn.execute(stmt.with_for_update() if lock else stmt)).first()
        return None if row is None else ticket_record(row)

    async def _by_ref(self, conn: AsyncConnection, reference: str, *, lock: bool = False) -> TicketRow:
        ticket = await self._one(conn, t.tickets.c.reference == reference.strip().upper(), lock=lock)
        if ticket is None:
            raise TicketNotFound(reference)
        return ticket
