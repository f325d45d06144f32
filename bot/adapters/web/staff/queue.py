"""The queue (``/staff/`` and ``/staff/tickets``): filtered, sorted by days left, paged."""

from __future__ import annotations

from datetime import date

import aiohttp_jinja2
from aiohttp import web

from bot.adapters.web.keys import CLOCK, ORGANISATIONS, STORE
from bot.adapters.web.staff.filters import filter_query, parse_filter, parse_page
from bot.adapters.web.staff.ports import TicketRecord
from bot.core.models import Channel, Right
from bot.core.tickets import TERMINAL_STATUSES, Status, days_left, urgency

PAGE_SIZE = 50


def row_view(ticket: TicketRecord, today: date) -> dict[str, object]:
    """What a queue row shows: the ticket plus its days left and urgency, computed now (never stored)."""
    left = days_left(ticket.deadline, today)
    return {"t": ticket, "days_left": left, "urgency": urgency(left).value,
            "closed": Status(ticket.status) in TERMINAL_STATUSES}


async def queue_page(request: web.Request) -> web.Response:
    orgs = request.app[ORGANISATIONS]
    flt = parse_filter(request.query, orgs={m.id for m in orgs})
    page = parse_page(request.query)
    today = request.app[CLOCK]().date()
    rows, total = await request.app[STORE].list_tickets(flt, today=today, offset=(page - 1) * PAGE_SIZE,
                                                        limit=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    context = {
        "rows": [row_view(t, today) for t in rows],
        "total": total, "page": page, "pages": pages, "flt": flt,
        "prev_query": filter_query(flt, page=page - 1) if page > 1 else None,
        "next_query": filter_query(flt, page=page + 1) if page < pages else None,
        "export_query": filter_query(flt),
        "statuses": ["open", *(s.value for s in Status)], "rights": [r.value for r in Right],
        "channels": [c.value for c in Channel],
        "orgs": sorted(orgs, key=lambda m: m.name.casefold()),
    }
    return aiohttp_jinja2.render_template("staff/queue.html", request, context)
