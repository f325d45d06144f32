"""Changing tickets: status transitions, notes, deadline extension, routing, every change audited."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.store import schema as t
from bot.adapters.store.records import ComposeMails, TicketRow
from bot.adapters.store.tickets import TicketsRepo
from bot.core.mailheaders import require_address
from bot.core.tickets import TERMINAL_STATUSES, ExtensionRefused, Status, check_transition, extend
from bot.errors import InvalidInput

logger = logging.getLogger(__name__)

_CLOSING = frozenset({Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN, Status.DUPLICATE})


class LifecycleRepo(TicketsRepo):
    async def transition(self, reference: str, new: Status | str, *, actor: str, reason: str | None = None,
                         duplicate_of: str | None = None) -> TicketRow:
        """Move a ticket to ``new`` if the lifecycle allows it (``IllegalTransition`` otherwise), audited."""
        async with self.tx() as conn:
            ticket = await self._by_ref(conn, reference, lock=True)
            check_transition(ticket.status, new, reason=reason)
            target = Status(new)
            if target is Status.DUPLICATE:
                if not duplicate_of:
                    raise InvalidInput("marking a ticket duplicate needs the reference of the ticket it repeats")
                original = await self._by_ref(conn, duplicate_of)
                if original.id == ticket.id:
                    raise InvalidInput("a ticket cannot be a duplicate of itself")
                duplicate_of = original.reference
            await self._set_status(conn, ticket, target, actor=actor, reason=reason,
                                   extra={"duplicate_of": duplicate_of} if duplicate_of else {})
            updated = await self._one(conn, t.tickets.c.id == ticket.id)
        assert updated is not None
        logger.info("ticket %s: %s -> %s", ticket.reference, ticket.status.value, target.value,
                    extra={"ticket": ticket.reference, "status": target.value})
        return updated

    async def _set_status(self, conn: AsyncConnection, ticket: TicketRow, target: Status, *, actor: str,
                          reason: str | None = None, extra: dict[str, Any] | None = None) -> None:
        now = self.now()
        values: dict[str, Any] = {"status": target.value, "updated_at": now}
        if target is Status.FORWARDED and ticket.forwarded_at is None:
            values["forwarded_at"] = now
        if target is Status.ACKNOWLEDGED:
            values["acknowledged_at"] = now
        if target in _CLOSING:
            values["closed_at"] = now
        if target is Status.REFUSED:
            values["refusal_reason"] = (reason or "").strip()
        values.update(extra or {})
        await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(**values))
        detail: dict[str, Any] = {"from": ticket.status.value, "to": target.value}
        if reason:
            detail["reason"] = reason.strip()
        detail.update(extra or {})
        await self.add_event(conn, ticket.id, actor=actor, kind="status", detail=detail)

    async def add_note(self, reference: str, *, actor: str, text: str) -> None:
        """An internal note on the ticket's timeline (staff only)."""
        if not text.strip():
            raise InvalidInput("the note is empty")
        async with self.tx() as conn:
            ticket = await self._by_ref(conn, reference)
            await self.add_event(conn, ticket.id, actor=actor, kind="note", detail={"text": text.strip()})
            await self._touch(conn, ticket)

    async def extend_deadline(self, reference: str, *, actor: str, reason: str | None) -> TicketRow:
        """Extend once by two further months (Art. 12(3)): reason required, only within the first month."""
        async with self.tx() as conn:
            ticket = await self._by_ref(conn, reference, lock=True)
            if ticket.status in TERMINAL_STATUSES:
                raise ExtensionRefused(f"ticket {ticket.reference} is {ticket.status.value}: nothing to extend")
            new_deadline = extend(ticket.deadline, received=ticket.received_at.date(), today=self.now().date(),
                                  reason=reason, already_extended=ticket.extended_deadline is not None)
            await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(
                extended_deadline=new_deadline, extension_reason=(reason or "").strip(), updated_at=self.now()))
            await self.add_event(conn, ticket.id, actor=actor, kind="deadline_extended", detail={
                "from": ticket.deadline.isoformat(), "to": new_deadline.isoformat(), "reason": (reason or "").strip()})
            updated = await self._one(conn, t.tickets.c.id == ticket.id)
        assert updated is not None
        return updated

    async def route_ticket(self, reference: str, address: str, *, actor: str, compose: ComposeMails) -> TicketRow:
        """Give a ticket (typically ``needs_routing``) a contact address and queue its forward."""
        clean = require_address(address, what="contact address")
        async with self.tx() as conn:
            ticket = await self._by_ref(conn, reference, lock=True)
            if ticket.status in TERMINAL_STATUSES:
                raise InvalidInput(f"ticket {ticket.reference} is {ticket.status.value}; it cannot be routed")
            await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(
                contact_address=clean, delivery_status="pending", delivery_error=None, updated_at=self.now()))
            await self.add_event(conn, ticket.id, actor=actor, kind="routed", detail={"to": clean})
            updated = await self._one(conn, t.tickets.c.id == ticket.id)
            assert updated is not None
            await self.queue_mails_in(conn, updated, compose(updated), actor=actor)
        self.outbox_wakeup.set()
        return updated

    async def requeue(self, reference: str, *, actor: str, compose: ComposeMails, kind: str = "resend") -> TicketRow:
        """Queue fresh mails for a ticket (e.g. resend the forward), audited as ``kind``."""
        async with self.tx() as conn:
            ticket = await self._by_ref(conn, reference, lock=True)
            if ticket.status in TERMINAL_STATUSES:
                raise InvalidInput(f"ticket {ticket.reference} is {ticket.status.value}; nothing to resend")
            if not ticket.contact_address:
                raise InvalidInput(f"ticket {ticket.reference} has no contact address; route it first")
            await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(
                delivery_status="pending", delivery_error=None, updated_at=self.now()))
            await self.add_event(conn, ticket.id, actor=actor, kind=kind, detail={})
            await self.queue_mails_in(conn, ticket, compose(ticket), actor=actor)
        self.outbox_wakeup.set()
        return ticket

    async def record_event(self, reference: str, *, actor: str, kind: str, detail: dict[str, Any]) -> None:
        """Append an arbitrary audited event (a reply received by mail, a Slack announcement, ...)."""
        async with self.tx() as conn:
            ticket = await self._by_ref(conn, reference)
            await self.add_event(conn, ticket.id, actor=actor, kind=kind, detail=detail)
            await self._touch(conn, ticket)

    async def _touch(self, conn: AsyncConnection, ticket: TicketRow) -> None:
        await conn.execute(t.tickets.update().where(t.tickets.c.id == ticket.id).values(updated_at=self.now()))
