"""The one entry point channels use: a message in, an answer (and, for requests, a ticket) out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.core.models import Answer, Inquiry


class Responder(Protocol):
    """The pure core's answering function (``bot.core.assistant.Assistant``)."""

    def respond(self, text: str, *, org: str | None = None) -> Answer: ...


@dataclass(frozen=True, slots=True)
class FiledTicket:
    reference: str  # e.g. DSR-2026-00042
    deadline: str  # ISO date
    duplicate: bool = False  # True: the request repeats an open ticket, ``reference`` is that ticket


class TicketFiler(Protocol):
    """The store's side: files a recognised request (ticket + outbox) in one transaction."""

    async def file_request(self, inquiry: Inquiry, answer: Answer, *, received_at: datetime) -> FiledTicket: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    answer: Answer
    ticket: FiledTicket | None = None

    def to_json(self) -> dict[str, object]:
        data = self.answer.to_json()
        if self.ticket is not None:
            data["ticket"] = {"reference": self.ticket.reference, "deadline": self.ticket.deadline,
                              "duplicate": self.ticket.duplicate}
        return data


class Service:
    """Answers every inquiry; files a ticket when the answer carries a recognised request."""

    def __init__(self, responder: Responder, filer: TicketFiler | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._responder = responder
        self._filer = filer
        self._clock = clock

    def answer(self, inquiry: Inquiry) -> Answer:
        """What the bot would reply, without filing anything (``ask``'s dry run)."""
        return self._responder.respond(inquiry.text, org=inquiry.org)

    async def handle(self, inquiry: Inquiry, *, file: bool = True) -> Outcome:
        received_at = self._clock()
        answer = self.answer(inquiry)
        if not file or answer.request is None or self._filer is None:
            return Outcome(answer)
        ticket = await self._filer.file_request(inquiry, answer, received_at=received_at)
        return Outcome(answer, ticket)
