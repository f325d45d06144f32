"""The one aiohttp application: health, the ask API and page, the staff pages; others mount on it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp_session import session_middleware

from bot.adapters.store import Store
from bot.adapters.web import ask
from bot.adapters.web.keys import ASK_LIMITER, CLOCK, ORGANISATIONS, SERVICE, SETTINGS, STORE, Answerer
from bot.adapters.web.proxies import forwarded_client, parse_networks
from bot.adapters.web.ratelimit import RateLimiter
from bot.adapters.web.security import errors_middleware, security_headers
from bot.adapters.web.staff.auth import session_storage, signed_in_staff, staff_guard
from bot.adapters.web.staff.backend import ForwardMailer, StoreBackend
from bot.adapters.web.staff.csrf import CSRF_FIELD, csrf_middleware, csrf_token
from bot.adapters.web.staff.ports import StaffStore
from bot.adapters.web.staff.routes import add_staff_routes
from bot.config import Settings
from bot.core.models import PolicyMeta
from bot.core.tickets import right_title

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# Questions and forms are small; Slack's event payloads stay far below this too.
MAX_BODY_BYTES = 256 * 1024


def _utcnow() -> datetime:
    return datetime.now(UTC)


def build_app(*, settings: Settings, service: Answerer, store: Store | StaffStore | None = None,
              mailer: ForwardMailer | None = None, organisations: Sequence[PolicyMeta] = (),
              clock: Callable[[], datetime] = _utcnow,
              rate_clock: Callable[[], float] = time.monotonic) -> web.Application:
    """The application; without a store the staff pages are left out (``/ask`` and the API still work).

    ``store`` is the real ``Store`` (wrapped in ``StoreBackend``) or any ``StaffStore``; ``mailer``
    (``bot.filing.TicketFiler``) lets staff resend forwards and route tickets.
    """
    if isinstance(store, Store):
        store = StoreBackend(store, mailer=mailer)
    https = bool(settings.public_url and settings.public_url.startswith("https://"))
    middlewares = [security_headers(https=https), errors_middleware,
                   session_middleware(session_storage(settings)), csrf_middleware]
    if store is not None:
        middlewares.append(staff_guard)
    if settings.forwarded_allow_ips:
        middlewares.insert(0, forwarded_client(parse_networks(settings.forwarded_allow_ips)))
    app = web.Application(middlewares=middlewares, client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[SERVICE] = service
    app[ORGANISATIONS] = organisations
    app[ASK_LIMITER] = RateLimiter(settings.ask_rate_per_minute, clock=rate_clock)
    app[CLOCK] = clock
    env = aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                               undefined=jinja2.StrictUndefined, context_processors=[_base_context])
    env.filters["right_title"] = lambda value: right_title(value) if value else ""
    env.filters["when"] = _when
    env.filters["show"] = _show
    app.router.add_get("/", _home)
    app.router.add_get("/healthz", _healthz)
    app.router.add_post("/api/ask", ask.api_ask)
    app.router.add_get("/ask", ask.ask_page)
    app.router.add_post("/ask", ask.ask_submit)
    app.router.add_static("/static", STATIC, append_version=False)
    if store is not None:
        app[STORE] = store
        add_staff_routes(app)
    return app


def _when(value: datetime | None) -> str:
    """A stored UTC time as staff read it: "2026-03-04 09:15 UTC"."""
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _show(value: object) -> str:
    """An audit detail value as text: lists joined, everything else as it is."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


async def _base_context(request: web.Request) -> dict[str, object]:
    return {"staff": signed_in_staff(request), "csrf_token": await csrf_token(request), "csrf_field": CSRF_FIELD,
            "path": request.path, "org_names": {m.id: m.name for m in request.app[ORGANISATIONS]}}


async def _home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/ask")


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})
