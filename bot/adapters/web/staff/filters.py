"""The queue's filters read from and written back to the URL query, validated against closed sets."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from bot.adapters.web.staff.ports import TicketFilter
from bot.core.models import Channel, Right
from bot.core.tickets import Status

MAX_QUERY_CHARS = 200


def _choice(value: str | None, allowed: set[str]) -> str | None:
    value = (value or "").strip()
    return value if value in allowed else None


def parse_filter(query: Mapping[str, str], *, orgs: set[str]) -> TicketFilter:
    """Unknown or malformed values are dropped (a hand-edited URL shows the unfiltered queue)."""
    q = (query.get("q") or "").strip()[:MAX_QUERY_CHARS] or None
    return TicketFilter(
        status=_choice(query.get("status"), {s.value for s in Status} | {"open"}),
        right=_choice(query.get("right"), {r.value for r in Right}),
        org=_choice(query.get("org"), orgs) if orgs else ((query.get("org") or "").strip()[:64] or None),
        channel=_choice(query.get("channel"), {c.value for c in Channel}),
        overdue=query.get("overdue") in ("1", "on", "true", "yes"),
        q=q,
    )


def parse_page(query: Mapping[str, str]) -> int:
    raw = query.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def filter_query(flt: TicketFilter, **extra: str | int) -> str:
    """The URL query for ``flt`` (empty fields left out), plus ``extra`` such as the page."""
    pairs: list[tuple[str, str]] = []
    for name in ("status", "right", "org", "channel", "q"):
        value = getattr(flt, name)
        if value:
            pairs.append((name, value))
    if flt.overdue:
        pairs.append(("overdue", "1"))
    pairs.extend((k, str(v)) for k, v in extra.items())
    return urlencode(pairs)
