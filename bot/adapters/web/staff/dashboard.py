"""``/staff/dashboard``: open and overdue counts, requests per right and organisation per month."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup

from bot.adapters.web.keys import CLOCK, ORGANISATIONS, STORE
from bot.adapters.web.staff.charts import stacked_bars

MONTHS = 12


async def dashboard_page(request: web.Request) -> web.Response:
    today = request.app[CLOCK]().date()
    stats = await request.app[STORE].dashboard(today=today, months=MONTHS)
    names = {m.id: m.name for m in request.app[ORGANISATIONS]}
    per_org = {names.get(org, org): counts for org, counts in stats.per_org_month.items()}
    context = {
        "stats": stats,
        # The SVG is built by our own code with every label escaped, so it may be inlined as markup.
        "right_chart": Markup(stacked_bars(stats.per_right_month, stats.months,
                                           title="Requests per right per month")),
        "org_chart": Markup(stacked_bars(per_org, stats.months, title="Requests per organisation per month")),
        "per_right": sorted(stats.per_right_month.items()),
        "per_org": sorted(per_org.items()),
    }
    return aiohttp_jinja2.render_template("staff/dashboard.html", request, context)
