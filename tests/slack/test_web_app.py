"""Slack mounted on the project's one web application (with its security, session and CSRF middlewares)."""

from __future__ import annotations

import json
import time

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.slack import mount_slack
from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.store import Store
from bot.adapters.web.app import build_app
from bot.config import Settings

from .rig import SECRET, org_names, payload, policies, real_service, sign
from .standin import BOT_TOKEN, SlackStandIn


async def test_slack_events_work_beside_the_staff_pages(slack_store: Store, standin: SlackStandIn) -> None:
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET, slack_api_url=standin.api_url,
                        slack_default_org="infentre", staff_secret_key="k" * 40)
    service = real_service(slack_store)
    app = build_app(settings=settings, service=service, store=slack_store,
                    organisations=[p.meta for p in policies()])
    mount_slack(app, service=service, state=StoreSlackState(slack_store), settings=settings, orgs=org_names())
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    try:
        body = json.dumps(payload("app_mention")).encode()
        now = int(time.time())
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(now),
                   "X-Slack-Signature": sign(body, now)}
        ok = await client.post("/slack/events", data=body, headers=headers)
        refused = await client.post("/slack/events", data=body, headers=headers | {"X-Slack-Signature": "v0=0"})
        assert (ok.status, refused.status) == (200, 401)
        [post] = await standin.wait_for("chat.postMessage")
        assert "How long do you keep my information?" in json.dumps(post.params["blocks"])
        assert (await client.get("/healthz")).status == 200
    finally:
        await client.close()
