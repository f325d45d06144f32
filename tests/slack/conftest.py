"""Fixtures for the Slack tests: the stand-in Web API, a real SQLite store, and the rig around them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.store import Store

from .rig import USERS, Rig, open_rig
from .standin import SlackStandIn


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn(users=USERS)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def slack_store(sqlite_url: str) -> AsyncIterator[Store]:
    store = await Store.open(sqlite_url)
    yield store
    await store.close()


@pytest.fixture
async def rig(slack_store: Store, standin: SlackStandIn) -> AsyncIterator[Rig]:
    """Default: SLACK_DEFAULT_ORG=infentre, a staff channel and a public URL."""
    opened = await open_rig(store=slack_store, standin=standin, slack_default_org="infentre",
                            slack_staff_channel="C0STAFF", public_url="https://bot.example.org")
    yield opened
    await opened.client.close()
