"""Which actions a ticket offers (exactly what the lifecycle allows) and how their inputs are checked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.adapters.web.staff.ports import TicketRecord
from bot.core.tickets import ALLOWED, OPEN_STATUSES, Status, is_reference

MAX_REASON_CHARS = 2000
MAX_NOTE_CHARS = 10_000
_ADDRESS = re.compile(r"^[^@\s<>\"',;()\[\]\\]+@[^@\s<>\"',;()\[\]\\]+\.[^@\s<>\"',;()\[\]\\]+$")


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    label: str
    confirm: str | None  # the question asked before an action that cannot be undone
    field: str | None = None  # the one input it needs: reason | of | address | text
    danger: bool = False


ACTIONS: Mapping[str, Action] = {a.name: a for a in (
    Action("verify", "Mark identity verified", None),
    Action("resend", "Resend the forward", "Send the forward to the organisation again?"),
    Action("acknowledge", "Mark acknowledged", None),
    Action("complete", "Mark completed", "Close this request as completed? This cannot be undone."),
    Action("refuse", "Refuse", "Refuse this request? This cannot be undone; the reason is recorded.",
           "reason", danger=True),
    Action("extend", "Extend deadline by two months",
           "Extend the deadline by two months? GDPR Art. 12(3) allows this only once.", "reason"),
    Action("duplicate", "Mark duplicate", "Close this ticket as a duplicate? This cannot be undone.", "of"),
    Action("route", "Route to an address", "Send the forward to this address?", "address"),
    Action("withdraw", "Mark withdrawn", "Record that the requester withdrew this request? "
                                         "This cannot be undone.", danger=True),
    Action("note", "Add note", None, "text"),
)}


def available_actions(ticket: TicketRecord, today: date) -> list[Action]:
    """The actions for this ticket now, in a stable order; 'note' is always there."""
    status = Status(ticket.status)
    targets = ALLOWED[status]
    names: list[str] = []
    if status in OPEN_STATUSES and not ticket.identity_verified:
        names.append("verify")
    if status in (Status.FORWARDED, Status.FAILED) and ticket.contact_address:
        names.append("resend")
    for name, target in (("acknowledge", Status.ACKNOWLEDGED), ("complete", Status.COMPLETED),
                         ("refuse", Status.REFUSED)):
        if target in targets:
            names.append(name)
    if status in OPEN_STATUSES and ticket.extension_reason is None \
            and today <= (ticket.original_deadline or ticket.deadline):
        names.append("extend")
    if Status.DUPLICATE in targets:
        names.append("duplicate")
    if status in (Status.NEEDS_ROUTING, Status.FAILED):
        names.append("route")
    if Status.WITHDRAWN in targets:
        names.append("withdraw")
    names.append("note")
    return [ACTIONS[n] for n in names]


def check_input(action: Action, value: str, *, reference: str) -> str:
    """The cleaned input for ``action``; raises ValueError with a message fit for the page."""
    value = value.strip()
    if action.field is None:
        return ""
    if action.field == "reason":
        if not value:
            raise ValueError("Give a reason; it is recorded and the requester may be told.")
        if len(value) > MAX_REASON_CHARS:
            raise ValueError(f"The reason is longer than {MAX_REASON_CHARS} characters.")
    elif action.field == "text":
        if not value:
            raise ValueError("The note is empty.")
        if len(value) > MAX_NOTE_CHARS:
            raise ValueError(f"The note is longer than {MAX_NOTE_CHARS} characters.")
    elif action.field == "of":
        value = value.upper()
        if not is_reference(value):
            raise ValueError("Give the reference of the original ticket, like DSR-2026-00042.")
        if value == reference:
            raise ValueError("A ticket cannot be a duplicate of itself.")
    elif action.field == "address" and (len(value) > 320 or not _ADDRESS.match(value)):
        raise ValueError("Give one plain e-mail address, like privacy@example.org.")
    return value
