"""Two bot processes sharing one PostgreSQL: a Slack event delivered to both is answered and filed once."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.store import Store

from .rig import open_rig, payload
from .standin import SlackStandIn

pytestmark = pytest.mark.postgres


async def test_two_bots_on_one_postgres_answer_and_file_once(postgres_url: str, standin: SlackStandIn) -> None:
    stores = [await Store.open(postgres_url), await Store.open(postgres_url, run_migrations=False)]
    rigs = [await open_rig(store=s, standin=standin, slack_default_org="infentre") for s in stores]
    try:
        request, question = payload("message_im"), payload("app_mention")
        # Slack's retries land on either instance, concurrently.
        sends = [rig.event(data, retry=n or None) for n in range(3) for rig in rigs for data in (request, question)]
        responses = await asyncio.gather(*sends)
        assert {r.status for r in responses} == {200}
        for rig in rigs:
            await rig.settle()
        tickets = (await stores[0].list_tickets()).items
        assert len(tickets) == 1 and tickets[0].right == "erasure"
        replies = standin.of("chat.postMessage")
        assert sorted(c.params["channel"] for c in replies) == ["C0GENERAL", "D0ALICEDM"]
    finally:
        for rig in rigs:
            await rig.client.close()
        for store in stores:
            await store.close()
