"""What the store hands out and takes in: plain frozen records, no SQLAlchemy rows leak out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.core.tickets import Status, days_left, effective_deadline, urgency
from bot.errors import BotError


class TicketNotFound(BotError):
    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"no ticket with reference {reference!r}")


class OutboxKind(StrEnum):
    """What an outbox mail is (stored as text)."""

    FORWARD = "forward"
    ACK = "ack"
    REPLY = "reply"
    REMINDER = "reminder"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class NewTicket:
    """A recognised request as the filer hands it to the store (the store assigns reference and status)."""

    org: str
    right: str
    article: str
    language: str
    channel: str
    original_text: str
    received_at: datetime
    deadline: date
    requester_address: str | None = None
    requester_name: str | None = None
    requester_evidence: tuple[tuple[str, str], ...] = ()
    external_id: str | None = None
    citations: tuple[Mapping[str, Any], ...] = ()
    contact_address: str | None = None


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """One message for the outbox: the exact bytes to send and the envelope."""

    kind: str
    message_id: str
    mail_from: str
    recipients: tuple[str, ...]
    raw: bytes


@dataclass(frozen=True, slots=True)
class TicketRow:
    id: int
    reference: str
    org: str
    right: str
    article: str
    status: Status
    language: str
    channel: str
    requester_address: str | None
    requester_name: str | None
    requester_evidence: tuple[tuple[str, str], ...]
    external_id: str | None
    original_text: str
    citations: tuple[Mapping[str, Any], ...]
    contact_address: str | None
    received_at: datetime
    forwarded_at: datetime | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    deadline: date
    extended_deadline: date | None
    extension_reason: str | None
    refusal_reason: str | None
    duplicate_of: str | None
    delivery_status: str
    delivery_error: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def effective_deadline(self) -> date:
        return effective_deadline(self.deadline, self.extended_deadline)

    def days_left(self, today: date) -> int:
        return days_left(self.effective_deadline, today)

    def urgency(self, today: date) -> str:
        return urgency(self.days_left(today)).value

    @property
    def is_open(self) -> bool:
        from bot.core.tickets import OPEN_STATUSES

        return self.status in OPEN_STATUSES


ComposeMails = Callable[[TicketRow], Sequence[OutgoingMail]]


@dataclass(frozen=True, slots=True)
class FiledResult:
    ticket: TicketRow
    duplicate: bool = False  # a repeat of an open ticket: ``ticket`` is that one, nothing new queued
    existing: bool = False  # the same inquiry (channel + external id) was filed before


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    ticket_id: int
    at: datetime
    actor: str
    kind: str
    detail: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    ticket_id: int | None
    kind: str
    message_id: str
    mail_from: str
    recipients: tuple[str, ...]
    raw: bytes
    status: str
    attempts: int
    next_attempt_at: datetime
    claimed_by: str | None
    claimed_until: datetime | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class InboundRow:
    id: int
    transport: str
    message_id: str | None
    dedupe_key: str
    raw: bytes
    size: int
    received_at: datetime
    status: str
    claimed_by: str | None
    claimed_until: datetime | None
    error: str | None
    ticket_id: int | None
    outcome: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class TicketQuery:
    """Filters of the ticket queue; ``None`` means any. Sorted by days left (soonest deadline first)."""

    status: tuple[str, ...] | None = None
    right: str | None = None
    org: str | None = None
    channel: str | None = None
    overdue: bool = False
    open_only: bool = False
    text: str | None = None
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True, slots=True)
class TicketPage:
    items: tuple[TicketRow, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
