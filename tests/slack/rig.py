"""The test rig: our real aiohttp app with Slack mounted, a real store, the stand-in, signed requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.slack import SLACK_BOT, mount_slack
from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.store import Store
from bot.config import EMBEDDED_KNOWLEDGE, Settings
from bot.core.models import Policy
from bot.service import Responder, Service

from .standin import BOT_TOKEN, SlackStandIn

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DATA = Path(__file__).resolve().parent.parent / "data" / "slack"
ALICE = "U0ALICE"
USERS = {ALICE: {"real_name": "Alice Andersson", "is_bot": False,
                 "profile": {"email": "alice@example.se", "real_name": "Alice Andersson"}},
         "U0BOB": {"real_name": "Bob", "profile": {"email": "bob@example.se", "real_name": "Bob"}}}


def payload(name: str) -> dict[str, Any]:
    """A recorded payload from tests/data/slack/."""
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@cache
def policies() -> tuple[Policy, ...]:
    from bot.adapters.knowledge_files import load_folder

    return tuple(load_folder(EMBEDDED_KNOWLEDGE))


def org_names() -> dict[str, str]:
    return {p.meta.id: p.meta.name for p in policies()}


def real_responder() -> Responder:
    from bot.core.assistant import Assistant

    return Assistant(policies())


def real_service(store: Store, responder: Responder | None = None) -> Service:
    from bot.filing import TicketFiler

    filer = TicketFiler(store, mail_from="privacy-bot@example.org", orgs={p.id: p.meta for p in policies()})
    return Service(responder or real_responder(), filer)


@dataclass
class Rig:
    client: TestClient[web.Request, web.Application]
    standin: SlackStandIn
    store: Store
    bot: SlackBot

    async def send(self, body: bytes, content_type: str, *, timestamp: int | None = None,
                   signature: str | None = None, retry: int | None = None) -> ClientResponse:
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts),
                   "X-Slack-Signature": signature if signature is not None else sign(body, ts)}
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.client.post("/slack/events", data=body, headers=headers)

    async def event(self, data: Mapping[str, Any], **kw: Any) -> ClientResponse:
        return await self.send(json.dumps(data).encode(), "application/json", **kw)

    async def command(self, fields: Mapping[str, str], **kw: Any) -> ClientResponse:
        return await self.send(urlencode(fields).encode(), "application/x-www-form-urlencoded", **kw)

    async def interaction(self, data: Mapping[str, Any], **kw: Any) -> ClientResponse:
        body = urlencode({"payload": json.dumps(data)}).encode()
        return await self.send(body, "application/x-www-form-urlencoded", **kw)

    async def settle(self) -> None:
        """Wait until every queued Slack job has finished."""
        await self.bot.jobs.idle()


async def open_rig(*, store: Store, standin: SlackStandIn, responder: Responder | None = None,
                   **settings: Any) -> Rig:
    config = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET, slack_api_url=standin.api_url,
                      **settings)
    app = web.Application()
    mount_slack(app, service=real_service(store, responder), state=StoreSlackState(store), settings=config,
                orgs=org_names())
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    return Rig(client=client, standin=standin, store=store, bot=app[SLACK_BOT])
