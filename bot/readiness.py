"""``GET /readyz``: 503 with the reasons when the database, a worker loop or a heartbeat is not well."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from aiohttp import web

from bot.adapters.store import Store
from bot.config import Settings

# A loop that beats every 10-30 s and has not beaten for this long is stuck or gone.
STALE_AFTER = {
    "outbox.sender": timedelta(minutes=2),
    "imap.last_poll": timedelta(minutes=5),
    "mail.pipeline": timedelta(minutes=2),
}
TASKS = web.AppKey("readiness_tasks", dict)


def add_readiness(app: web.Application, store: Store, settings: Settings, *, tasks: dict[str, asyncio.Task[None]],
                  knowledge: Callable[[], dict[str, object]] | None = None) -> None:
    """``knowledge`` reports what is loaded; a refused reload shows there but does not make the app unready
    (the knowledge loaded before still answers)."""

    async def readyz(request: web.Request) -> web.Response:
        problems = await readiness_problems(store, settings, tasks)
        body: dict[str, object] = {"ready": not problems, "problems": problems}
        if knowledge is not None:
            body["knowledge"] = knowledge()
        return web.json_response(body, status=503 if problems else 200)

    app.router.add_get("/readyz", readyz)


async def readiness_problems(store: Store, settings: Settings, tasks: dict[str, asyncio.Task[None]],
                             *, now: datetime | None = None) -> list[str]:
    """Plain reasons, empty when ready. Heartbeats count only for loops that have run at least once."""
    problems: list[str] = []
    try:
        await asyncio.wait_for(store.ping(), timeout=3.0)
    except Exception as exc:  # any failure to reach the database means not ready
        return [f"database unreachable ({type(exc).__name__})"]
    for name, task in tasks.items():
        if task.done():
            problems.append(f"{name} loop is not running")
    moment = now or datetime.now(UTC)
    for key, limit in STALE_AFTER.items():
        if key == "imap.last_poll" and not settings.imap_url:
            continue
        beat = await store.last_beat(key)
        if beat is not None and moment - _aware(beat) > limit:
            problems.append(f"{key} is stale (last {int((moment - _aware(beat)).total_seconds())} s ago)")
    return problems


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
