"""Slack's Web API misbehaving (429, 500, down) and the process shutting down: retried, logged, never a crash."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.adapters.store import Store

from .rig import Rig, open_rig, payload
from .standin import SlackStandIn


async def test_rate_limited_reply_is_retried_after_retry_after_and_logged(
        rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    rig.standin.fail_next(2, status=429, retry_after=0, method="chat.postMessage")
    with caplog.at_level(logging.WARNING, logger="bot.adapters.slack"):
        await rig.event(payload("app_mention"))
        await rig.settle()
    attempts = [c.status for c in rig.standin.calls if c.method == "chat.postMessage"]
    assert attempts == [429, 429, 200]
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 2 and all("chat.postMessage answered HTTP 429" in m for m in retries)


async def test_server_errors_are_retried_and_logged(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    rig.standin.fail_next(1, status=500, method="chat.postMessage")
    rig.standin.fail_next(1, status=503, method="users.info")
    with caplog.at_level(logging.WARNING, logger="bot.adapters.slack"):
        await rig.event(payload("message_im"))
        await rig.settle()
    assert [c.status for c in rig.standin.calls if c.method == "users.info"] == [503, 200]
    assert [c.status for c in rig.standin.calls if c.method == "chat.postMessage"][:2] == [500, 200]
    [ticket] = (await rig.store.list_tickets()).items
    assert dict(ticket.requester_evidence)["slack_verified_email"] == "alice@example.se"
    assert any("answered HTTP 500" in r.getMessage() for r in caplog.records)
    assert any("answered HTTP 503" in r.getMessage() for r in caplog.records)


async def test_slack_down_for_good_is_logged_and_the_bot_keeps_working(
        rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    rig.standin.fail_next(4, status=500, method="chat.postMessage")  # 1 try + 3 retries: all fail
    with caplog.at_level(logging.WARNING, logger="bot.adapters.slack"):
        response = await rig.event(payload("app_mention"))
        await rig.settle()
    assert response.status == 200
    assert [c.status for c in rig.standin.calls if c.method == "chat.postMessage"] == [500] * 4
    assert any("chat.postMessage failed for good" in r.getMessage() and r.levelno == logging.ERROR
               for r in caplog.records)
    # The next question is answered as usual.
    await rig.event(payload("message_im"))
    await rig.settle()
    assert rig.standin.of("chat.postMessage")


async def test_users_info_failing_still_files_the_ticket_without_the_email(rig: Rig) -> None:
    rig.standin.users.clear()  # users.info answers {"ok": false, "error": "user_not_found"}
    await rig.event(payload("message_im"))
    await rig.settle()
    [ticket] = (await rig.store.list_tickets()).items
    assert dict(ticket.requester_evidence) == {"slack_user": "U0ALICE", "slack_team": "T0001"}


async def test_work_in_flight_is_finished_on_shutdown(slack_store: Store, standin: SlackStandIn) -> None:
    rig = await open_rig(store=slack_store, standin=standin, slack_default_org="infentre")
    standin.fail_next(1, status=429, retry_after=1, method="chat.postMessage")  # keeps the job busy ~1-2 s
    response = await rig.event(payload("app_mention"))
    assert response.status == 200
    assert rig.bot.jobs.pending == 1
    await rig.client.close()  # runs the app's on_shutdown: drains the jobs
    assert [c.status for c in standin.calls if c.method == "chat.postMessage"] == [429, 200]
    assert rig.bot.jobs.pending == 0


async def test_an_event_arriving_during_shutdown_is_refused_so_slack_resends_it(rig: Rig) -> None:
    await rig.bot.jobs.drain()  # shutdown has begun
    response = await rig.event(payload("app_mention"))
    assert response.status == 500
    command = await rig.command(payload("slash_command") | {"response_url": rig.standin.hook_url()})
    assert command.status == 500
    await asyncio.sleep(0.1)
    assert rig.standin.of("chat.postMessage") == [] and rig.standin.hooks == []
    # Nothing was claimed: the re-sent event is answered by whichever process gets it.
    assert await rig.store.claim_event("slack:msg:T0001:C0GENERAL:1732262400.000100", "slack")


async def test_a_broken_database_gets_a_polite_reply_not_silence(rig: Rig) -> None:
    import sqlalchemy as sa

    async with rig.store.tx() as conn:  # every query of the Slack channel now fails
        for table in ("processed_events", "slack_channel_orgs", "kv_state"):
            await conn.execute(sa.text(f"DROP TABLE {table}"))
    await rig.command(payload("slash_command") | {"text": "set-org centra", "response_url": rig.standin.hook_url()})
    [reply] = await rig.standin.wait_for("hook")
    assert reply.params["text"].startswith("Sorry, something went wrong")
    response = await rig.event(payload("app_mention"))
    assert response.status == 200
    [post] = await rig.standin.wait_for("chat.postMessage")  # the asker is told, in the thread
    assert post.params["text"].startswith("Sorry, something went wrong")
    assert post.params["thread_ts"] == payload("app_mention")["event"]["ts"]
    swedish = payload("message_im")
    swedish["event"] |= {"text": "Radera alla mina personuppgifter, tack.", "ts": "1732262599.000300"}
    await rig.event(swedish)
    posts = await rig.standin.wait_for("chat.postMessage", 2)
    assert posts[-1].params["text"].startswith("Förlåt, något gick fel")
