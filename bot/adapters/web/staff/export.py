"""``/staff/export.csv``: the filtered queue as CSV, the record of requests kept for the regulator."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date

from aiohttp import web

from bot.adapters.web.keys import CLOCK, ORGANISATIONS, STORE
from bot.adapters.web.staff.auth import current_staff
from bot.adapters.web.staff.filters import parse_filter
from bot.adapters.web.staff.ports import TicketRecord
from bot.core.tickets import TERMINAL_STATUSES, Status, days_left

logger = logging.getLogger(__name__)

COLUMNS = ("reference", "org", "right", "article", "status", "channel", "requester_name",
           "requester_address", "received_at", "forwarded_at", "acknowledged_at", "closed_at", "deadline",
           "days_left", "extension_reason", "refusal_reason", "duplicate_of", "delivery_status")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ or a control gets a leading quote."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if text and (text[0] in "=+-@\t\r\n|" ) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_row(ticket: TicketRecord, today: date) -> list[str]:
    left = "" if Status(ticket.status) in TERMINAL_STATUSES else days_left(ticket.deadline, today)
    values = {name: getattr(ticket, name, None) for name in COLUMNS}
    values["days_left"] = left
    return [safe_cell(values[name]) for name in COLUMNS]


async def export_csv(request: web.Request) -> web.Response:
    # Built whole rather than streamed: a streamed response is sent before the middleware can add the
    # security and no-store headers, and a year of requests is a few megabytes at most.
    flt = parse_filter(request.query, orgs={m.id for m in request.app[ORGANISATIONS]})
    now = request.app[CLOCK]()
    tickets = await request.app[STORE].export_tickets(flt, today=now.date())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(ticket, now.date()) for ticket in tickets)
    logger.info("staff member %d exported %d tickets as CSV", current_staff(request).id, len(tickets))
    return web.Response(body=buffer.getvalue().encode("utf-8"), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="tickets-{now:%Y%m%d}.csv"'})
