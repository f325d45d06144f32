"""The record of requests as CSV rows (formula-safe for spreadsheet programs)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from bot.adapters.store.records import TicketRow

EXPORT_COLUMNS = (
    "reference", "org", "right", "article", "status", "channel", "language", "requester_address",
    "requester_name", "received_at", "forwarded_at", "deadline", "extended_deadline", "days_left",
    "closed_at", "delivery_status", "extension_reason", "refusal_reason", "duplicate_of",
)
# A cell starting with one of these is a formula in Excel/LibreOffice (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_row(ticket: TicketRow, today: date) -> list[str]:
    values: dict[str, object] = {name: getattr(ticket, name, None) for name in EXPORT_COLUMNS}
    values["status"] = ticket.status.value
    values["days_left"] = ticket.days_left(today) if ticket.is_open else ""
    return [_cell(values[name]) for name in EXPORT_COLUMNS]


def write_csv(tickets: Iterable[TicketRow], stream: TextIO, *, today: date) -> int:
    """Write a header and one row per ticket; returns the number of tickets written."""
    writer = csv.writer(stream)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for ticket in tickets:
        writer.writerow(export_row(ticket, today))
        count += 1
    return count


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
