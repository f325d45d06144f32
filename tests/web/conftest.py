"""Fixtures for the web app: the real app on a real SQLite store, a signed-in client, filed tickets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.store import Store
from bot.adapters.web import build_app
from bot.adapters.web.staff.backend import StoreBackend
from bot.config import Settings
from bot.filing import TicketFiler

from .rig import NotAsked, Web, WebFactory, metas


@pytest.fixture
async def make_web(sqlite_url: str, clock: Any, tmp_path: Path) -> AsyncIterator[WebFactory]:
    """Builds the real app on a real SQLite store and serves it on 127.0.0.1 at an ephemeral port."""
    opened: list[Web] = []
    store = await Store.open(sqlite_url, clock=clock)

    async def factory(*, service: Any = None, **overrides: Any) -> Web:
        settings = replace(Settings(data_dir=tmp_path / "data", staff_secret_key="a test secret",
                                    ask_rate_per_minute=1000), **overrides)
        filer = TicketFiler(store, mail_from="bot@privacy-bot.test", orgs={m.id: m for m in metas()})
        backend = StoreBackend(store, mailer=filer)
        app = build_app(settings=settings, service=service or NotAsked(), store=backend,
                        organisations=metas(), clock=clock)
        client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        web = Web(client, store, backend, filer, clock, settings)
        opened.append(web)
        return web

    yield factory
    for web in opened:
        await web.client.close()
    await store.close()


@pytest.fixture
async def web(make_web: WebFactory) -> Web:
    return await make_web()


@pytest.fixture
async def signed_in(web: Web) -> Web:
    await web.add_staff()
    response = await web.sign_in()
    assert response.status == 303, await response.text()
    return web
