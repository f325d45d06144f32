"""Fixtures for the e-mail channel: the real assistant and filer, the pipeline, a fresh Dovecot folder."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from bot.adapters.store import Store
from bot.config import Settings
from bot.filing import TicketFiler
from bot.mail_pipeline import MailPipeline
from bot.service import Service

from .helpers import BOT_FROM, assistant, connect_imap, imap_server_url, metas, with_folder


@pytest.fixture
def settings(tmp_path: Any, smtp_server: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", smtp_url=smtp_server.url, mail_from=BOT_FROM)


@pytest.fixture
def service(store: Store, settings: Settings, clock: Any) -> Service:
    filer = TicketFiler(store, mail_from=settings.mail_from, orgs={m.id: m for m in metas()})
    return Service(assistant(), filer, clock=clock)


@pytest.fixture
def pipeline(store: Store, service: Service, settings: Settings) -> MailPipeline:
    return MailPipeline(store, service, settings, metas=metas())


@pytest.fixture
def imap_folder() -> Iterator[tuple[str, Any]]:
    """A fresh IMAP folder for this test: (IMAP_URL naming it, a connected IMAPClient to inspect it)."""
    url = imap_server_url()
    folder = f"t{uuid.uuid4().hex[:10]}"
    client = connect_imap(url)
    client.create_folder(folder)
    try:
        yield with_folder(url, folder), client
    finally:
        with contextlib.suppress(Exception):
            client.logout()
        cleanup = connect_imap(url)
        cleanup.delete_folder(folder)
        cleanup.logout()


@pytest.fixture
async def running(store: Store) -> AsyncIterator[list[Any]]:
    """Background tasks a test starts; cancelled and awaited at the end."""
    tasks: list[asyncio.Task[Any]] = []
    yield tasks
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
