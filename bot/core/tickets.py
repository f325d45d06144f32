"""Ticket rules: statuses and allowed transitions, GDPR articles, references, Art. 12(3) deadlines."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from bot.core.models import Language, Right
from bot.errors import BotError


class Status(StrEnum):
    """Where a ticket is in its lifecycle; the values are stored in the database."""

    NEW = "new"
    FORWARDED = "forwarded"
    ACKNOWLEDGED = "acknowledged"
    COMPLETED = "completed"
    AWAITING_IDENTITY = "awaiting_identity"
    NEEDS_ROUTING = "needs_routing"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"
    FAILED = "failed"


_S = Status
# Terminal states (completed, refused, withdrawn, duplicate) allow nothing further: a closed request that
# comes back is a new request with its own deadline, never a reopened one (the audit log stays linear).
# `failed` is not terminal: staff may resend, route by hand, refuse or record a withdrawal.
ALLOWED: Mapping[Status, frozenset[Status]] = MappingProxyType({
    _S.NEW: frozenset({_S.FORWARDED, _S.AWAITING_IDENTITY, _S.NEEDS_ROUTING, _S.REFUSED, _S.WITHDRAWN,
                       _S.DUPLICATE, _S.FAILED}),
    _S.FORWARDED: frozenset({_S.ACKNOWLEDGED, _S.COMPLETED, _S.REFUSED, _S.WITHDRAWN, _S.FAILED}),
    _S.ACKNOWLEDGED: frozenset({_S.COMPLETED, _S.REFUSED, _S.WITHDRAWN}),
    _S.AWAITING_IDENTITY: frozenset({_S.NEW, _S.FORWARDED, _S.REFUSED, _S.WITHDRAWN}),
    _S.NEEDS_ROUTING: frozenset({_S.FORWARDED, _S.REFUSED, _S.WITHDRAWN}),
    _S.FAILED: frozenset({_S.FORWARDED, _S.NEEDS_ROUTING, _S.REFUSED, _S.WITHDRAWN}),
    _S.COMPLETED: frozenset(),
    _S.REFUSED: frozenset(),
    _S.WITHDRAWN: frozenset(),
    _S.DUPLICATE: frozenset(),
})
TERMINAL_STATUSES: frozenset[Status] = frozenset(s for s, targets in ALLOWED.items() if not targets)
# Open = the deadline still runs and a repeat of the request is a duplicate of this ticket.
OPEN_STATUSES: frozenset[Status] = frozenset(Status) - TERMINAL_STATUSES
# Moving into these needs a written reason (Art. 12(4): the data subject must be told why).
REASON_REQUIRED: frozenset[Status] = frozenset({Status.REFUSED})


class IllegalTransition(BotError):
    """A status change the lifecycle does not allow, or one missing its required reason."""

    def __init__(self, old: Status | str, new: Status | str, allowed: frozenset[Status], problem: str) -> None:
        self.old = old
        self.new = new
        self.allowed = allowed
        self.problem = problem
        super().__init__(problem)


def allowed_targets(old: Status | str) -> tuple[Status, ...]:
    """The statuses a ticket in ``old`` may move to, in a stable order (for buttons and messages)."""
    return tuple(s for s in Status if s in ALLOWED[Status(old)])


def check_transition(old: Status | str, new: Status | str, *, reason: str | None = None) -> None:
    """Raise ``IllegalTransition`` unless ``old -> new`` is allowed (with a reason where required)."""
    try:
        old_s, new_s = Status(old), Status(new)
    except ValueError:
        bad = new if old in set(Status) else old
        known = ", ".join(s.value for s in Status)
        raise IllegalTransition(old, new, frozenset(),
                                f"unknown ticket status {bad!r}; known: {known}") from None
    allowed = ALLOWED[old_s]
    if new_s not in allowed:
        if not allowed:
            problem = f"a {old_s.value} ticket is closed and cannot become {new_s.value}"
        else:
            targets = ", ".join(s.value for s in allowed_targets(old_s))
            problem = f"a {old_s.value} ticket cannot become {new_s.value}; allowed: {targets}"
        raise IllegalTransition(old_s, new_s, allowed, problem)
    if new_s in REASON_REQUIRED and not (reason or "").strip():
        raise IllegalTransition(old_s, new_s, allowed, f"moving a ticket to {new_s.value} needs a reason")


ARTICLE: Mapping[Right, str] = MappingProxyType({
    Right.ACCESS: "15",
    Right.RECTIFICATION: "16",
    Right.ERASURE: "17",
    Right.RESTRICTION: "18",
    Right.PORTABILITY: "20",
    Right.OBJECTION: "21",
    Right.WITHDRAW_CONSENT: "7(3)",
    Right.COMPLAINT: "77",
})

TITLE: Mapping[Language, Mapping[Right, str]] = MappingProxyType({
    Language.EN: MappingProxyType({
        Right.ACCESS: "right of access",
        Right.RECTIFICATION: "right to rectification",
        Right.ERASURE: "right to erasure",
        Right.RESTRICTION: "right to restriction of processing",
        Right.PORTABILITY: "right to data portability",
        Right.OBJECTION: "right to object",
        Right.WITHDRAW_CONSENT: "withdrawal of consent",
        Right.COMPLAINT: "complaint",
    }),
    Language.SV: MappingProxyType({
        Right.ACCESS: "rätt till tillgång",
        Right.RECTIFICATION: "rätt till rättelse",
        Right.ERASURE: "rätt till radering",
        Right.RESTRICTION: "rätt till begränsning av behandling",
        Right.PORTABILITY: "rätt till dataportabilitet",
        Right.OBJECTION: "rätt att göra invändningar",
        Right.WITHDRAW_CONSENT: "återkallande av samtycke",
        Right.COMPLAINT: "klagomål",
    }),
})


def right_title(right: Right | str, language: Language | str = Language.EN) -> str:
    """Human title of a right, e.g. "right of access" / "rätt till tillgång"."""
    return TITLE[Language(language)][Right(right)]


def article_label(right: Right | str, language: Language | str = Language.EN) -> str:
    """E.g. "GDPR Art. 15" / "GDPR art. 15"."""
    word = "art." if Language(language) is Language.SV else "Art."
    return f"GDPR {word} {ARTICLE[Right(right)]}"


# --- references -------------------------------------------------------------------------------------

REFERENCE_PREFIX = "DSR"
_REF_BODY = r"DSR-(\d{4})-(\d{5,9})"
_BRACKETED = re.compile(r"\[\s*" + _REF_BODY + r"\s*\]", re.IGNORECASE)
_BARE = re.compile(r"(?<![\w-])" + _REF_BODY + r"(?![\w-])", re.IGNORECASE)
_EXACT = re.compile(r"^" + _REF_BODY + r"$")


def format_reference(year: int, number: int) -> str:
    """``format_reference(2026, 42) == "DSR-2026-00042"``; numbers past 99999 simply grow wider."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"reference year must have four digits, got {year}")
    if not 1 <= number <= 999_999_999:
        raise ValueError(f"reference number must be between 1 and 999999999, got {number}")
    return f"{REFERENCE_PREFIX}-{year:04d}-{number:05d}"


def is_reference(text: str) -> bool:
    """True for a well-formed reference such as "DSR-2026-00042" (exactly, upper case)."""
    return _EXACT.match(text) is not None


def parse_reference(text: str) -> str | None:
    """The first ticket reference in a subject or text, normalised; a bracketed "[DSR-…]" tag wins.

    The bracketed form is what our subjects carry; a bare reference typed by a person counts too.
    """
    if not text:
        return None
    match = _BRACKETED.search(text) or _BARE.search(text)
    if match is None:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    if number == 0:
        return None
    return format_reference(year, number)


# --- deadlines (GDPR Art. 12(3)) -------------------------------------------------------------------

EXTENSION_MONTHS = 2
DUE_SOON_DAYS = 7


class ExtensionRefused(BotError):
    """The one-time extension of Art. 12(3) is not possible (no reason, too late, already extended)."""


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OK = "ok"


def add_months(d: date, n: int) -> date:
    """The same day ``n`` months later (or earlier), or the last day of a shorter month.

    Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year); this is how Art. 12(3)'s "one month" is counted
    (Regulation 1182/71 Art. 3(2)(c): a period ends on the same date, or the month's last day).
    """
    months = d.year * 12 + (d.month - 1) + n
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"date out of range: {d.isoformat()} + {n} months")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def deadline_for(received: date) -> date:
    """The one-month deadline of Art. 12(3) for a request received on ``received``."""
    return add_months(received, 1)


def extend(deadline_original: date, *, received: date, today: date, reason: str | None,
           already_extended: bool = False) -> date:
    """The extended deadline: two further months on top of the original one (Art. 12(3)).

    Allowed once, only with a reason (the requester must be told why), and only while the original
    one-month deadline has not passed (the controller must inform "within one month of receipt").
    Counting from the original deadline never gives a later date than receipt + 3 months.
    """
    if already_extended:
        raise ExtensionRefused("the deadline has already been extended once; Art. 12(3) allows one extension")
    if not (reason or "").strip():
        raise ExtensionRefused("an extension needs a reason, which the requester will be told")
    if deadline_original != deadline_for(received):
        raise ExtensionRefused(
            f"the original deadline {deadline_original.isoformat()} is not one month after receipt "
            f"({received.isoformat()}); has it been extended already?")
    if today > deadline_original:
        raise ExtensionRefused(
            f"too late to extend: the one-month deadline {deadline_original.isoformat()} has passed")
    return add_months(deadline_original, EXTENSION_MONTHS)


def days_left(deadline: date, today: date) -> int:
    """Whole days until the deadline: 0 on the day itself, negative when overdue."""
    return (deadline - today).days


def urgency(days: int, *, soon: int = DUE_SOON_DAYS) -> Urgency:
    """"overdue" below zero, "due_soon" within ``soon`` days (the deadline day included), else "ok"."""
    if days < 0:
        return Urgency.OVERDUE
    if days <= soon:
        return Urgency.DUE_SOON
    return Urgency.OK


def effective_deadline(deadline: date, extended_deadline: date | None) -> date:
    """The deadline that counts now: the extended one when there is one."""
    return extended_deadline if extended_deadline is not None else deadline
