"""The store-backed Slack state: claims are shared at once, channel organisations within the cache window."""

from __future__ import annotations

import asyncio

from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.store import Store


async def test_claims_and_pending_questions_are_shared(slack_store: Store, sqlite_url: str) -> None:
    other = await Store.open(sqlite_url, run_migrations=False)  # a second bot process
    try:
        mine, theirs = StoreSlackState(slack_store), StoreSlackState(other)
        assert await mine.claim_event("slack:msg:T:C:1.1", "slack")
        assert not await theirs.claim_event("slack:msg:T:C:1.1", "slack")
        await mine.remember("slack:pending:k", '{"text": "hej"}')
        assert await theirs.recall("slack:pending:k") == '{"text": "hej"}'
        assert await theirs.recall("slack:pending:none") is None
    finally:
        await other.close()


async def test_a_channel_org_set_elsewhere_is_seen_within_the_cache_window(slack_store: Store) -> None:
    reader, writer = StoreSlackState(slack_store, org_cache_seconds=0.3), StoreSlackState(slack_store)
    assert await reader.channel_org("C1") is None
    await writer.set_channel_org("C1", "T1", "centra")
    await reader.set_channel_org("C2", "T1", "infentre")
    assert await reader.channel_org("C2") == "infentre"  # its own change: at once
    await asyncio.sleep(0.35)
    assert await reader.channel_org("C1") == "centra"
    await writer.set_channel_org("C1", "T1", None)
    await asyncio.sleep(0.35)
    assert await reader.channel_org("C1") is None
