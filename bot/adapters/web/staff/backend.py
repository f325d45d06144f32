"""``StoreBackend``: the staff pages' ``StaffStore`` over the real ``Store`` and its staff queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from bot.adapters.store import Store, TicketQuery, TicketRow
from bot.adapters.store.staff_queries import StaffAccount, StaffQueries
from bot.adapters.web.staff.ports import (
    DashboardStats,
    EventRecord,
    OutboxRecord,
    StaffUser,
    TicketFilter,
    TicketRecord,
)
from bot.core.tickets import Status, is_reference
from bot.errors import InvalidInput

IDENTITY_VERIFIED = "identity_verified"


class ForwardMailer(Protocol):
    """``bot.filing.TicketFiler``'s staff side: builds and queues a ticket's forward."""

    async def route(self, reference: str, address: str, *, actor: str) -> Any: ...
    async def resend_forward(self, reference: str, *, actor: str) -> Any: ...


def _user(account: StaffAccount | None) -> StaffUser | None:
    if account is None:
        return None
    return StaffUser(id=account.id, email=account.email, name=account.name,
                     password_hash=account.password_hash, disabled=account.disabled)


def ticket_record(row: TicketRow, *, identity_verified: bool = False) -> TicketRecord:
    return TicketRecord(
        reference=row.reference, org=row.org, right=row.right, article=row.article, status=row.status.value,
        channel=row.channel, language=row.language, received_at=row.received_at,
        deadline=row.effective_deadline, requester_address=row.requester_address,
        requester_name=row.requester_name, evidence=row.requester_evidence, original_text=row.original_text,
        citations=row.citations, contact_address=row.contact_address, forwarded_at=row.forwarded_at,
        acknowledged_at=row.acknowledged_at, closed_at=row.closed_at, original_deadline=row.deadline,
        extension_reason=row.extension_reason, refusal_reason=row.refusal_reason,
        duplicate_of=row.duplicate_of, delivery_status=row.delivery_status, delivery_error=row.delivery_error,
        identity_verified=identity_verified,
    )


def ticket_query(flt: TicketFilter, *, page: int = 1, per_page: int = 50) -> TicketQuery:
    return TicketQuery(
        status=None if flt.status in (None, "open") else (flt.status,) if flt.status else None,
        right=flt.right, org=flt.org, channel=flt.channel, overdue=flt.overdue,
        open_only=flt.status == "open", text=flt.q, page=page, per_page=per_page,
    )


class StoreBackend:
    """Reads through the store's queries; every action goes through its audited lifecycle methods.

    ``mailer`` (``bot.filing.TicketFiler``) builds and queues forwards; without it, resending and routing
    are refused with a clear message.
    """

    def __init__(self, store: Store, *, mailer: ForwardMailer | None = None) -> None:
        self._store = store
        self._staff = StaffQueries(store.engine)
        self._mailer = mailer

    @property
    def staff(self) -> StaffQueries:
        return self._staff

    async def staff_by_email(self, email: str) -> StaffUser | None:
        return _user(await self._staff.staff_by_email(email))

    async def staff_by_id(self, user_id: int) -> StaffUser | None:
        return _user(await self._staff.staff_by_id(user_id))

    async def add_staff(self, *, email: str, name: str, password_hash: str, at: datetime) -> StaffUser:
        user = _user(await self._staff.add_staff(email=email, name=name, password_hash=password_hash, at=at))
        assert user is not None
        return user

    async def set_staff_password(self, email: str, password_hash: str) -> None:
        await self._staff.set_staff_password(email, password_hash)

    async def record_login_failure(self, keys: Sequence[str], *, at: datetime) -> None:
        await self._staff.record_login_failure(list(keys), at=at)

    async def count_login_failures(self, key: str, *, since: datetime) -> int:
        return await self._staff.count_login_failures(key, since=since)

    async def clear_login_failures(self, key: str) -> None:
        await self._staff.clear_login_failures(key)

    async def list_tickets(self, flt: TicketFilter, *, today: date, offset: int,
                           limit: int) -> tuple[list[TicketRecord], int]:
        page = offset // max(1, limit) + 1
        result = await self._store.list_tickets(ticket_query(flt, page=page, per_page=limit), today=today)
        return [ticket_record(r) for r in result.items], result.total

    async def export_tickets(self, flt: TicketFilter, *, today: date) -> list[TicketRecord]:
        """Every matching ticket in one query (one consistent snapshot), soonest deadline first."""
        return [ticket_record(r) for r in await self._store.iter_tickets(ticket_query(flt), today=today)]

    async def ticket(self, reference: str) -> TicketRecord | None:
        if not is_reference(reference):
            return None
        row = await self._store.get_ticket(reference)
        if row is None:
            return None
        events = await self._store.events(reference)
        return ticket_record(row, identity_verified=any(e.kind == IDENTITY_VERIFIED for e in events))

    async def ticket_events(self, reference: str) -> list[EventRecord]:
        return [EventRecord(at=e.at, actor=e.actor, kind=e.kind, detail=e.detail)
                for e in await self._store.events(reference)]

    async def ticket_outbox(self, reference: str) -> list[OutboxRecord]:
        return [OutboxRecord(kind=m.kind, message_id=m.message_id, recipients=m.recipients, status=m.status,
                             attempts=m.attempts, created_at=m.created_at, raw=m.raw, sent_at=m.sent_at,
                             last_error=m.last_error)
                for m in await self._store.outbox_for_ticket(reference)]

    async def dashboard(self, *, today: date, months: int) -> DashboardStats:
        f = await self._staff.monthly_figures(today=today, months=months)
        return DashboardStats(open_count=f.open_count, overdue_count=f.overdue_count,
                              per_right_month=f.per_right_month, per_org_month=f.per_org_month,
                              months=f.months, median_days_to_close=f.median_days_to_close,
                              closed_count=f.closed_count)

    async def change_status(self, reference: str, status: str, *, actor: str, reason: str | None) -> None:
        await self._store.transition(reference, status, actor=actor, reason=reason)

    async def add_note(self, reference: str, text: str, *, actor: str) -> None:
        await self._store.add_note(reference, actor=actor, text=text)

    async def extend_deadline(self, reference: str, reason: str, *, actor: str) -> None:
        await self._store.extend_deadline(reference, actor=actor, reason=reason)

    async def verify_identity(self, reference: str, *, actor: str) -> None:
        await self._store.record_event(reference, actor=actor, kind=IDENTITY_VERIFIED, detail={})
        row = await self._store.get_ticket(reference)
        if row is not None and row.status is Status.AWAITING_IDENTITY:
            await self._store.transition(reference, Status.NEW, actor=actor, reason="identity verified")

    async def resend_forward(self, reference: str, *, actor: str) -> None:
        await self._need_mailer().resend_forward(reference, actor=actor)

    async def route_to(self, reference: str, address: str, *, actor: str) -> None:
        await self._need_mailer().route(reference, address, actor=actor)

    async def mark_duplicate(self, reference: str, of: str, *, actor: str) -> None:
        await self._store.transition(reference, Status.DUPLICATE, actor=actor, duplicate_of=of)

    def _need_mailer(self) -> ForwardMailer:
        if self._mailer is None:
            raise InvalidInput("this server cannot compose forwards (no mailer configured)")
        return self._mailer
