"""The store-backed Slack state: claims are shared at once, channel organisations within the cache window."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

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


async def test_an_unanswered_question_is_taken_over_by_one_process_only(store: Store, clock: Any) -> None:
    """On SQLite and PostgreSQL: two sweepers racing for a dead process's question, one wins."""
    a, b = StoreSlackState(store), StoreSlackState(store)
    assert await a.begin_job("slack:msg:T:C:9.9", '{"text": "q"}')
    assert not await b.begin_job("slack:msg:T:C:9.9", '{"text": "q"}')  # a retry: already taken
    assert await b.take_stale_jobs(timedelta(minutes=5)) == []
    clock.advance(minutes=6)
    taken = await asyncio.gather(a.take_stale_jobs(timedelta(minutes=5)), b.take_stale_jobs(timedelta(minutes=5)))
    assert sorted(len(t) for t in taken) == [0, 1]
    assert [job for t in taken for job in t] == [("slack:msg:T:C:9.9", '{"text": "q"}')]
    # Taking it over renews it: a third sweeper right after does not take it again.
    assert await a.take_stale_jobs(timedelta(minutes=5)) == []
    await b.finish_job("slack:msg:T:C:9.9")
    clock.advance(minutes=60)
    assert await a.take_stale_jobs(timedelta(minutes=5)) == []


async def test_questions_nobody_clicked_on_expire(store: Store, clock: Any) -> None:
    state = StoreSlackState(store)
    await state.remember("slack:pending:old", "{}")
    clock.advance(days=31)
    await state.remember("slack:pending:new", "{}")
    await state.remember("other:key", "{}")
    assert await state.expire("slack:pending:", timedelta(days=30)) == 1
    assert await state.recall("slack:pending:old") is None
    assert await state.recall("slack:pending:new") == "{}" and await state.recall("other:key") == "{}"
    await state.forget("slack:pending:new")
    assert await state.recall("slack:pending:new") is None
