"""Builders for the operations tests: tickets at chosen ages, in chosen states."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from store.helpers import new_ticket, simple_mails

from bot.adapters.store import Store, TicketRow
from bot.core.tickets import Status


async def file_ticket(store: Store, received: datetime, *, requester: str | None = "anna@example.se",
                      name: str | None = "Anna Svensson", text: str = "Please send me my data.",
                      external_id: str | None = None, **kwargs: Any) -> TicketRow:
    filed = await store.file_request(new_ticket(received, requester=requester, name=name, text=text,
                                                external_id=external_id, **kwargs), simple_mails)
    return filed.ticket


async def forward(store: Store, ticket: TicketRow) -> TicketRow:
    return await store.transition(ticket.reference, Status.FORWARDED, actor="test")


async def close(store: Store, ticket: TicketRow, status: Status = Status.COMPLETED) -> TicketRow:
    if ticket.status is Status.NEW and status is Status.COMPLETED:
        ticket = await forward(store, ticket)
    return await store.transition(ticket.reference, status, actor="staff member",
                                  reason="identity not confirmed by anna@example.se" if status is Status.REFUSED
                                  else None)


def days_ago(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
