"""The ticket rules: lifecycle transitions, articles, references and Art. 12(3) deadline arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.models import Language, Right
from bot.core.tickets import (
    ALLOWED,
    ARTICLE,
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    ExtensionRefused,
    IllegalTransition,
    Status,
    Urgency,
    add_months,
    allowed_targets,
    article_label,
    check_transition,
    days_left,
    deadline_for,
    effective_deadline,
    extend,
    format_reference,
    is_reference,
    parse_reference,
    right_title,
    urgency,
)
from bot.errors import BotError

# --- lifecycle -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    ("new", "forwarded"), ("forwarded", "acknowledged"), ("acknowledged", "completed"),
    ("new", "awaiting_identity"), ("awaiting_identity", "new"), ("awaiting_identity", "forwarded"),
    ("new", "needs_routing"), ("needs_routing", "forwarded"), ("new", "duplicate"),
    ("forwarded", "failed"), ("failed", "forwarded"), ("failed", "needs_routing"),
    ("forwarded", "completed"), ("acknowledged", "withdrawn"), ("new", "failed"),
])
def test_allowed_transitions_pass(old: str, new: str) -> None:
    check_transition(old, new, reason=None)


@pytest.mark.parametrize(("old", "new"), [
    ("completed", "forwarded"), ("refused", "new"), ("withdrawn", "forwarded"), ("duplicate", "new"),
    ("new", "completed"), ("new", "acknowledged"), ("acknowledged", "forwarded"), ("acknowledged", "failed"),
    ("needs_routing", "acknowledged"), ("forwarded", "new"), ("new", "new"), ("failed", "completed"),
])
def test_illegal_transitions_raise_with_the_allowed_targets(old: str, new: str) -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition(old, new, reason="because")
    err = info.value
    assert isinstance(err, BotError)
    assert err.old == old and err.new == new
    message = str(err)
    assert old in message and new in message
    if ALLOWED[Status(old)]:
        for target in ALLOWED[Status(old)]:
            assert target.value in message
    else:
        assert "closed" in message


def test_message_lists_targets_in_a_stable_order() -> None:
    with pytest.raises(IllegalTransition, match=r"allowed: completed, refused, withdrawn$"):
        check_transition(Status.ACKNOWLEDGED, Status.NEW)


@pytest.mark.parametrize("reason", [None, "", "   \n\t"])
def test_refusal_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(IllegalTransition, match="needs a reason"):
        check_transition(Status.NEW, Status.REFUSED, reason=reason)
    check_transition(Status.NEW, Status.REFUSED, reason="manifestly unfounded (Art. 12(5))")


def test_unknown_status_names_the_known_ones() -> None:
    with pytest.raises(IllegalTransition, match=r"unknown ticket status 'closed'.*needs_routing"):
        check_transition("new", "closed")
    with pytest.raises(IllegalTransition, match="unknown ticket status 'bogus'"):
        check_transition("bogus", "new")


def test_terminal_and_open_partition_all_statuses() -> None:
    assert {Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN, Status.DUPLICATE} == TERMINAL_STATUSES
    assert set(Status) == OPEN_STATUSES | TERMINAL_STATUSES
    assert not OPEN_STATUSES & TERMINAL_STATUSES
    assert Status.FAILED in OPEN_STATUSES and Status.NEEDS_ROUTING in OPEN_STATUSES
    assert set(ALLOWED) == set(Status)
    for targets in ALLOWED.values():
        assert targets <= set(Status)


def test_every_open_status_can_be_withdrawn_and_none_loops_to_itself() -> None:
    for status in OPEN_STATUSES:
        assert Status.WITHDRAWN in ALLOWED[status]
    for status, targets in ALLOWED.items():
        assert status not in targets
    assert allowed_targets("failed") == (Status.FORWARDED, Status.NEEDS_ROUTING, Status.REFUSED,
                                         Status.WITHDRAWN)


def test_status_values_are_the_stored_strings() -> None:
    assert [s.value for s in Status] == ["new", "forwarded", "acknowledged", "completed", "awaiting_identity",
                                         "needs_routing", "refused", "withdrawn", "duplicate", "failed"]
    assert Status("awaiting_identity") == "awaiting_identity"


# --- articles and titles -------------------------------------------------------------------------------


def test_every_right_has_its_article_and_titles() -> None:
    assert dict(ARTICLE) == {Right.ACCESS: "15", Right.RECTIFICATION: "16", Right.ERASURE: "17",
                             Right.RESTRICTION: "18", Right.PORTABILITY: "20", Right.OBJECTION: "21",
                             Right.WITHDRAW_CONSENT: "7(3)", Right.COMPLAINT: "77"}
    for right in Right:
        assert right_title(right, Language.EN) and right_title(right, Language.SV)
        assert right_title(right, "en") != right_title(right, "sv")
    assert right_title("erasure", "sv") == "rätt till radering"
    assert article_label(Right.WITHDRAW_CONSENT) == "GDPR Art. 7(3)"
    assert article_label("access", "sv") == "GDPR art. 15"


# --- references ----------------------------------------------------------------------------------------


def test_format_reference() -> None:
    assert format_reference(2026, 42) == "DSR-2026-00042"
    assert format_reference(2026, 1) == "DSR-2026-00001"
    assert format_reference(2027, 123456) == "DSR-2027-123456"
    assert is_reference("DSR-2026-00042") and not is_reference("DSR-2026-42")
    for year, number in [(999, 1), (10000, 1), (2026, 0), (2026, -5)]:
        with pytest.raises(ValueError):
            format_reference(year, number)


@pytest.mark.parametrize(("text", "expected"), [
    ("Re: [DSR-2026-00042] We have received your request", "DSR-2026-00042"),
    ("SV: Re: [dsr-2026-00042] Tack", "DSR-2026-00042"),
    ("[ DSR-2026-00001 ]", "DSR-2026-00001"),
    ("About my ticket DSR-2026-00007, any news?", "DSR-2026-00007"),
    ("see DSR-2026-00007 and [DSR-2026-00008]", "DSR-2026-00008"),  # the tag in brackets wins
    ("[DSR-2026-123456]", "DSR-2026-123456"),
    ("Hello", None), ("", None), ("DSR-26-00042", None), ("XDSR-2026-00042", None),
    ("DSR-2026-00042X", None), ("[DSR-2026-00000]", None), ("DSR-2026-0042", None),
])
def test_parse_reference(text: str, expected: str | None) -> None:
    assert parse_reference(text) == expected


@given(st.integers(1000, 9999), st.integers(1, 999_999_999), st.text(max_size=30), st.text(max_size=30))
def test_reference_round_trips_inside_any_text(year: int, number: int, before: str, after: str) -> None:
    ref = format_reference(year, number)
    assert parse_reference(f"{before}[{ref}]{after}") == ref


# --- deadlines -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 15), 1, date(2026, 2, 15)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
    (date(2028, 1, 29), 1, date(2028, 2, 29)),
    (date(2026, 1, 29), 1, date(2026, 2, 28)),
    (date(2100, 1, 31), 1, date(2100, 2, 28)),  # not a leap year (century)
    (date(2000, 1, 31), 1, date(2000, 2, 29)),  # leap year (400)
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 12, 31), 1, date(2027, 1, 31)),
    (date(2026, 12, 15), 2, date(2027, 2, 15)),
    (date(2026, 2, 28), 1, date(2026, 3, 28)),  # not the month's end: the same day
    (date(2026, 5, 31), -3, date(2026, 2, 28)),
    (date(2026, 5, 31), 0, date(2026, 5, 31)),
    (date(2026, 1, 31), 13, date(2027, 2, 28)),
])
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 1, 1)), st.integers(-24, 24))
def test_add_months_properties(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (result.day < start.day and (result + timedelta(days=1)).day == 1)


def test_add_months_out_of_range() -> None:
    with pytest.raises(ValueError, match="out of range"):
        add_months(date(9999, 12, 1), 1)


def test_deadline_for_is_one_calendar_month() -> None:
    assert deadline_for(date(2026, 3, 4)) == date(2026, 4, 4)
    assert deadline_for(date(2026, 8, 31)) == date(2026, 9, 30)
    assert deadline_for(date(2024, 1, 30)) == date(2024, 2, 29)


def test_extension_adds_two_months_once_with_a_reason_within_the_first_month() -> None:
    received = date(2026, 1, 31)
    original = deadline_for(received)
    assert original == date(2026, 2, 28)
    assert extend(original, received=received, today=date(2026, 2, 1), reason="complex request") \
        == date(2026, 4, 28)
    # on the last day of the first month it is still allowed
    assert extend(original, received=received, today=original, reason="many requests") == date(2026, 4, 28)
    received = date(2026, 3, 10)
    assert extend(deadline_for(received), received=received, today=received, reason="x") == date(2026, 6, 10)


def test_extension_never_exceeds_three_months_from_receipt() -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        extended = extend(deadline_for(day), received=day, today=day, reason="volume")
        assert extended <= add_months(day, 3)
        assert extended > deadline_for(day)
        day += timedelta(days=1)


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_extension_needs_a_reason(reason: str | None) -> None:
    received = date(2026, 5, 5)
    with pytest.raises(ExtensionRefused, match="reason"):
        extend(deadline_for(received), received=received, today=received, reason=reason)


def test_extension_refused_after_the_first_month() -> None:
    received = date(2026, 5, 5)
    with pytest.raises(ExtensionRefused, match=r"too late.*2026-06-05"):
        extend(deadline_for(received), received=received, today=date(2026, 6, 6), reason="busy")


def test_extension_only_once() -> None:
    received = date(2026, 5, 5)
    original = deadline_for(received)
    extended = extend(original, received=received, today=received, reason="busy")
    with pytest.raises(ExtensionRefused, match="already"):
        extend(original, received=received, today=received, reason="busy", already_extended=True)
    with pytest.raises(ExtensionRefused, match="already"):
        extend(extended, received=received, today=received, reason="busy")
    assert isinstance(ExtensionRefused("x"), BotError)


def test_days_left_and_urgency() -> None:
    deadline = date(2026, 2, 28)
    assert days_left(deadline, date(2026, 2, 28)) == 0
    assert days_left(deadline, date(2026, 2, 20)) == 8
    assert days_left(deadline, date(2026, 3, 2)) == -2
    assert days_left(date(2028, 3, 1), date(2028, 2, 28)) == 2  # leap day counted
    assert urgency(-1) == "overdue" == Urgency.OVERDUE
    assert urgency(0) == "due_soon"
    assert urgency(7) == "due_soon"
    assert urgency(8) == "ok"
    assert urgency(3, soon=2) == "ok"
    assert effective_deadline(deadline, None) == deadline
    assert effective_deadline(deadline, date(2026, 4, 28)) == date(2026, 4, 28)
