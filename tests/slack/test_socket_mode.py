"""Socket Mode: events over the stand-in's WebSocket are acknowledged and answered like HTTP ones."""

from __future__ import annotations

import asyncio
import json

from bot.adapters.slack import run_socket_mode
from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.store import Store
from bot.config import Settings

from .rig import org_names, payload, real_service
from .standin import APP_TOKEN, BOT_TOKEN, SlackStandIn


async def test_socket_mode_acknowledges_answers_and_dedupes(slack_store: Store, standin: SlackStandIn) -> None:
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN, slack_api_url=standin.api_url,
                        slack_default_org="infentre")
    stop = asyncio.Event()
    runner = asyncio.create_task(run_socket_mode(service=real_service(slack_store), state=StoreSlackState(slack_store),
                                                 settings=settings, orgs=org_names(), stop=stop))
    try:
        [opened] = await standin.wait_for("apps.connections.open")
        assert opened.status == 200
        mention = payload("app_mention")
        for n in range(2):  # the second is Slack re-delivering the same event
            await standin.push("events_api", mention, envelope_id=f"env-{n}")
            await standin.wait_ack(f"env-{n}")
        command = payload("slash_command") | {"response_url": standin.hook_url("socket")}
        await standin.push("slash_commands", command, envelope_id="env-cmd")
        await standin.wait_ack("env-cmd")
        [post] = await standin.wait_for("chat.postMessage")
        [hook] = await standin.wait_for("hook")
        assert post.params["thread_ts"] == mention["event"]["ts"]
        assert "How long do you keep my information?" in json.dumps(post.params["blocks"])
        assert "How long do you keep my information?" in json.dumps(hook.params["blocks"])
    finally:
        stop.set()
        await asyncio.wait_for(runner, 10)
    assert len(standin.of("chat.postMessage")) == 1
