"""A bot process killed after acknowledging a question: another process answers it, once."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path

from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.store import Store

from .rig import open_rig, payload, sign
from .standin import SlackStandIn

SERVE = Path(__file__).resolve().parent / "serve_bot.py"


async def test_a_question_taken_by_a_killed_process_is_answered_once_by_another(
        sqlite_url: str, standin: SlackStandIn) -> None:
    await (await Store.open(sqlite_url)).close()
    # The reply is rate limited for 30 s: the first process is stuck in its retry when it is killed.
    standin.fail_next(1, status=429, retry_after=30, method="chat.postMessage")
    first = await asyncio.create_subprocess_exec(sys.executable, str(SERVE), standin.api_url, sqlite_url,
                                                 stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    try:
        assert first.stdout is not None
        port = int((await asyncio.wait_for(first.stdout.readline(), 30)).decode())
        mention = payload("app_mention")
        mention["event"]["text"] = "<@UBOT0001> How long does Infentre keep my data?"
        body = json.dumps(mention).encode()
        now = int(time.time())
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(now),
                   "X-Slack-Signature": sign(body, now)}
        import aiohttp

        async with aiohttp.ClientSession() as session, session.post(
                f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as response:
            assert response.status == 200
        for _ in range(300):
            if any(c.method == "chat.postMessage" and c.status == 429 for c in standin.calls):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the first process never tried to reply")
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    assert standin.of("chat.postMessage") == []

    store = await Store.open(sqlite_url, run_migrations=False)
    rig = await open_rig(store=store, standin=standin, slack_default_org="infentre")
    try:
        # Not yet stale: a live process could still be answering it.
        assert await rig.bot.interactions.resume(timedelta(minutes=5)) == 0
        assert await rig.bot.interactions.resume(timedelta(0)) == 1
        [reply] = await standin.wait_for("chat.postMessage")
        assert reply.params["thread_ts"] == mention["event"]["ts"]
        assert "How long do you keep my information?" in json.dumps(reply.params["blocks"])
        # Done means done: no second sweep, no Slack retry, answers it again.
        assert await rig.bot.interactions.resume(timedelta(0)) == 0
        await rig.event(mention, retry=1)
        await rig.settle()
        assert len(standin.of("chat.postMessage")) == 1
        assert await StoreSlackState(store).take_stale_jobs(timedelta(0)) == []
    finally:
        await rig.client.close()
        await store.close()
