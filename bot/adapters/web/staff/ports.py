"""What the staff pages need from the store, as records and a Protocol (``staff_queries`` implements it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StaffUser:
    id: int
    email: str
    name: str
    password_hash: str = ""
    disabled: bool = False

    @property
    def display(self) -> str:
        return self.name or self.email


@dataclass(frozen=True, slots=True)
class TicketFilter:
    """The queue's filters, as kept in the URL query."""

    status: str | None = None
    right: str | None = None
    org: str | None = None
    channel: str | None = None
    overdue: bool = False
    q: str | None = None  # free text: reference, requester, message


@dataclass(frozen=True, slots=True)
class TicketRecord:
    """One ticket as the staff pages show it."""

    reference: str
    org: str
    right: str
    article: str
    status: str
    channel: str
    language: str
    received_at: datetime
    deadline: date  # the one in force: the extended one when extended
    requester_address: str | None = None
    requester_name: str | None = None
    evidence: tuple[tuple[str, str], ...] = ()
    original_text: str = ""
    citations: tuple[Mapping[str, object], ...] = ()
    contact_address: str | None = None
    forwarded_at: datetime | None = None
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None
    original_deadline: date | None = None
    extension_reason: str | None = None
    refusal_reason: str | None = None
    duplicate_of: str | None = None
    delivery_status: str | None = None
    delivery_error: str | None = None
    identity_verified: bool = False

    @property
    def requester(self) -> str:
        if self.requester_name and self.requester_address:
            return f"{self.requester_name} <{self.requester_address}>"
        return self.requester_name or self.requester_address or "(unknown)"


@dataclass(frozen=True, slots=True)
class EventRecord:
    at: datetime
    actor: str
    kind: str
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """One e-mail about a ticket, as it was (or will be) sent."""

    kind: str  # forward | ack | reply | reminder | notice
    message_id: str
    recipients: tuple[str, ...]
    status: str  # pending | sending | sent | failed
    attempts: int
    created_at: datetime
    raw: bytes = b""
    sent_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class DashboardStats:
    open_count: int
    overdue_count: int
    per_right_month: Mapping[str, Mapping[str, int]]  # right -> "YYYY-MM" -> count
    per_org_month: Mapping[str, Mapping[str, int]]
    months: Sequence[str]
    median_days_to_close: float | None
    closed_count: int


class StaffStore(Protocol):
    """Accounts, sign-in throttling, and the ticket queries and actions the staff pages use."""

    async def staff_by_email(self, email: str) -> StaffUser | None: ...
    async def staff_by_id(self, user_id: int) -> StaffUser | None: ...
    async def add_staff(self, *, email: str, name: str, password_hash: str, at: datetime) -> StaffUser: ...
    async def set_staff_password(self, email: str, password_hash: str) -> None: ...

    async def record_login_failure(self, keys: Sequence[str], *, at: datetime) -> None: ...
    async def count_login_failures(self, key: str, *, since: datetime) -> int: ...
    async def clear_login_failures(self, key: str) -> None: ...

    async def list_tickets(self, flt: TicketFilter, *, today: date, offset: int,
                           limit: int) -> tuple[list[TicketRecord], int]: ...
    async def export_tickets(self, flt: TicketFilter, *, today: date) -> list[TicketRecord]: ...
    async def ticket(self, reference: str) -> TicketRecord | None: ...
    async def ticket_events(self, reference: str) -> list[EventRecord]: ...
    async def ticket_outbox(self, reference: str) -> list[OutboxRecord]: ...
    async def dashboard(self, *, today: date, months: int) -> DashboardStats: ...

    async def change_status(self, reference: str, status: str, *, actor: str, reason: str | None) -> None: ...
    async def add_note(self, reference: str, text: str, *, actor: str) -> None: ...
    async def extend_deadline(self, reference: str, reason: str, *, actor: str) -> None: ...
    async def verify_identity(self, reference: str, *, actor: str) -> None: ...
    async def resend_forward(self, reference: str, *, actor: str) -> None: ...
    async def route_to(self, reference: str, address: str, *, actor: str) -> None: ...
    async def mark_duplicate(self, reference: str, of: str, *, actor: str) -> None: ...
