"""Reminder rules: which deadline threshold a ticket is at, who is nudged, and the staff digest text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.notices import AUTO_GENERATED, MailDraft
from bot.core.tickets import days_left

# Staff hear about a ticket when it is this many days from its deadline, then at the second threshold.
FIRST_WARNING_DAYS = 7
SECOND_WARNING_DAYS = 2


class Threshold(StrEnum):
    """A reminder step; each is sent at most once per ticket (the claim key ends with the value)."""

    WEEK = "7d"
    TWO_DAYS = "2d"
    OVERDUE = "overdue"
    UNACKNOWLEDGED = "ack"


def deadline_threshold(deadline: date, today: date) -> Threshold | None:
    """The most urgent threshold a ticket has reached; a ticket first seen 1 day out is at "2d" only."""
    left = days_left(deadline, today)
    if left < 0:
        return Threshold.OVERDUE
    if left <= SECOND_WARNING_DAYS:
        return Threshold.TWO_DAYS
    if left <= FIRST_WARNING_DAYS:
        return Threshold.WEEK
    return None


def needs_ack_reminder(*, status: str, forwarded: date | None, acknowledged: bool, has_contact: bool,
                       today: date, ack_days: int) -> bool:
    """Forwarded ``ack_days`` or more days ago and still not acknowledged by the organisation."""
    if status != "forwarded" or acknowledged or forwarded is None or not has_contact:
        return False
    return (today - forwarded).days >= ack_days


def claim_key(reference: str, threshold: Threshold) -> str:
    """The processed_events key that makes a reminder happen once, across worker processes."""
    return f"reminder:{reference}:{threshold.value}"


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One ticket in the staff digest: ids and dates only, never the requester's details."""

    reference: str
    org_name: str
    right: str
    status: str
    deadline: date
    threshold: Threshold


_HEADINGS = {
    Threshold.OVERDUE: "Overdue",
    Threshold.TWO_DAYS: "Due within 2 days",
    Threshold.WEEK: "Due within 7 days",
}


def digest_draft(items: Sequence[DigestItem], *, staff_email: str, today: date,
                 public_url: str | None = None) -> MailDraft:
    """The daily mail to staff listing tickets that crossed a threshold, most urgent first."""
    return MailDraft(to=(staff_email,), subject=digest_subject(items, today), text=digest_text(
        items, today=today, public_url=public_url), reply_to=None, headers=AUTO_GENERATED)


def digest_subject(items: Sequence[DigestItem], today: date) -> str:
    overdue = sum(1 for i in items if i.threshold is Threshold.OVERDUE)
    soon = len(items) - overdue
    parts = ([f"{overdue} overdue"] if overdue else []) + ([f"{soon} due soon"] if soon else [])
    return f"Privacy requests {today.isoformat()}: {', '.join(parts) or 'nothing due'}"


def digest_text(items: Sequence[DigestItem], *, today: date, public_url: str | None = None) -> str:
    """Plain text grouped by threshold; each line: reference, organisation, right, deadline, days."""
    lines = [f"Data subject requests that need attention ({today.isoformat()}):", ""]
    base = (public_url or "").rstrip("/")
    for threshold in (Threshold.OVERDUE, Threshold.TWO_DAYS, Threshold.WEEK):
        group = sorted((i for i in items if i.threshold is threshold), key=lambda i: (i.deadline, i.reference))
        if not group:
            continue
        lines.append(f"{_HEADINGS[threshold]}:")
        for item in group:
            left = days_left(item.deadline, today)
            when = f"{-left} day(s) overdue" if left < 0 else "due today" if left == 0 else f"{left} day(s) left"
            link = f"  {base}/staff/tickets/{item.reference}" if base else ""
            lines.append(f"- {item.reference}  {item.org_name}, {item.right.replace('_', ' ')}, "
                         f"{item.status.replace('_', ' ')}: deadline {item.deadline.isoformat()} ({when}){link}")
        lines.append("")
    lines.append("Each ticket is listed once per step (7 days, 2 days, overdue).")
    return "\n".join(lines) + "\n"
