"""``POST /slack/events`` on our own aiohttp app: signature checked, body checked, then bolt."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from bot.adapters.slack.app import SlackBot, build_bot
from bot.adapters.slack.client import Clients, web_client
from bot.adapters.slack.conversation import Options
from bot.adapters.slack.events import well_shaped
from bot.adapters.slack.oauth import add_oauth_routes, oauth_settings
from bot.adapters.slack.state import SlackState
from bot.config import Settings
from bot.errors import ConfigError
from bot.service import Service

logger = logging.getLogger(__name__)
SLACK_BOT = web.AppKey("slack_bot", SlackBot)
EVENTS_PATH = "/slack/events"
MAX_CLOCK_SKEW = 5 * 60


def options_from(settings: Settings) -> Options:
    return Options(default_org=settings.slack_default_org, staff_channel=settings.slack_staff_channel,
                   public_url=settings.public_url)


def parse_body(body: str, content_type: str) -> dict[str, Any] | None:
    """Events and interactivity bodies Slack sends: a JSON object, or a form (``payload`` = JSON object)."""
    try:
        if content_type == "application/json" or body.lstrip().startswith("{"):
            data = json.loads(body)
        else:
            form = parse_qs(body, keep_blank_values=True, strict_parsing=True)
            if "payload" in form:
                data = json.loads(form["payload"][0])
            else:
                data = {k: v[-1] for k, v in form.items()} if form else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def signed(secret: str, body: bytes, headers: Mapping[str, str], *, now: float | None = None) -> bool:
    """Slack signs ``v0:<timestamp>:<body>`` with HMAC-SHA256; timestamps over 5 minutes off are refused.

    Computed over the raw bytes, so a body that is not even UTF-8 is a clean refusal, never a crash.
    """
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not timestamp.isascii() or not timestamp.isdigit() or not signature.isascii():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_CLOCK_SKEW:
        return False
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest("v0=" + digest, signature)


def mount_slack(app: web.Application, *, service: Service, state: SlackState, settings: Settings,
                orgs: Mapping[str, str] | None = None, concurrency: int = 16) -> SlackBot:
    """Add ``POST /slack/events`` to ``app``; in-flight work is awaited when the app shuts down.

    ``orgs`` (id -> display name) feeds the organisation menu and ``/privacy ORG question``;
    ``concurrency`` bounds the questions worked on at once (the rest wait, already acknowledged).
    """
    oauth = oauth_settings(settings, state)
    if not settings.slack_signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET", "is needed for Slack over HTTP (POST /slack/events)")
    if not settings.slack_bot_token and oauth is None:
        raise ConfigError("SLACK_BOT_TOKEN", "is needed for Slack (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
    home = web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url) \
        if settings.slack_bot_token else None
    # With OAuth, bolt finds each request's token itself; its own client must then carry none.
    base = web_client(token=None, base_url=settings.slack_api_url) if oauth is not None or home is None else home
    installations = None if oauth is None else oauth.installation_store
    bot = build_bot(service=service, state=state, clients=Clients(base=base, home=home, installations=installations),
                    signing_secret=settings.slack_signing_secret, orgs=orgs or {}, options=options_from(settings),
                    concurrency=concurrency, oauth=oauth)
    secret = settings.slack_signing_secret

    async def slack_events(request: web.Request) -> web.StreamResponse:
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"error": "body too large"}, status=413)
        if not signed(secret, raw, request.headers):
            logger.warning("Slack request with a bad signature or stale timestamp refused")
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.json_response({"error": "body is not UTF-8"}, status=400)
        data = parse_body(body, request.content_type)
        if data is None or not well_shaped(data):
            logger.warning("Slack request with a malformed body refused")
            return web.json_response({"error": "malformed body"}, status=400)
        retry = request.headers.get("X-Slack-Retry-Num")
        if retry:
            logger.info("Slack retry %s (%s)", retry, request.headers.get("X-Slack-Retry-Reason", "?"))
        response = await bot.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def start(_: web.Application) -> None:
        await bot.start()

    async def stop(_: web.Application) -> None:
        await bot.stop()

    app.router.add_post(EVENTS_PATH, slack_events)
    add_oauth_routes(app, bot.bolt)
    app.on_startup.append(start)
    app.on_shutdown.append(stop)
    app[SLACK_BOT] = bot
    return bot
