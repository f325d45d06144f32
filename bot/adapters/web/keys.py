"""Typed keys for what the web app shares between handlers, and the small protocols it needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from aiohttp import web

from bot.adapters.web.ratelimit import RateLimiter
from bot.adapters.web.staff.ports import StaffStore
from bot.config import Settings
from bot.core.models import Answer, Inquiry, PolicyMeta


class Answerer(Protocol):
    """``bot.service.Service.answer``: what the bot would reply, filing nothing."""

    def answer(self, inquiry: Inquiry) -> Answer: ...


SETTINGS = web.AppKey("settings", Settings)
SERVICE: web.AppKey[Answerer] = web.AppKey("service")
# A live view when the knowledge reloads (``bot.knowledge_reload``): read it per request, do not keep it.
ORGANISATIONS: web.AppKey[Sequence[PolicyMeta]] = web.AppKey("organisations")
ASK_LIMITER = web.AppKey("ask_limiter", RateLimiter)
STORE: web.AppKey[StaffStore] = web.AppKey("staff_store")
CLOCK: web.AppKey[Callable[[], datetime]] = web.AppKey("clock")
