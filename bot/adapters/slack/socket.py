"""Socket Mode: the same bot over Slack's WebSocket when SLACK_APP_TOKEN is set (no public URL needed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.adapters.slack.app import SlackBot, build_bot
from bot.adapters.slack.client import Clients, web_client
from bot.adapters.slack.routes import options_from
from bot.adapters.slack.state import SlackState
from bot.config import Settings
from bot.errors import ConfigError
from bot.service import Service

logger = logging.getLogger(__name__)


def socket_bot(*, service: Service, state: SlackState, settings: Settings,
               orgs: Mapping[str, str] | None = None) -> tuple[SlackBot, AsyncSocketModeHandler]:
    """The bot and its Socket Mode handler, not yet connected."""
    if not settings.slack_app_token or not settings.slack_bot_token:
        raise ConfigError("SLACK_APP_TOKEN" if settings.slack_bot_token else "SLACK_BOT_TOKEN",
                          "is needed for Socket Mode (both SLACK_BOT_TOKEN and SLACK_APP_TOKEN)")
    client = web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    # Events over the socket are not signed (the app token authenticates the connection).
    bot = build_bot(service=service, state=state, clients=Clients(base=client, home=client), signing_secret=None,
                    orgs=orgs or {}, options=options_from(settings))
    handler = AsyncSocketModeHandler(bot.bolt, app_token=settings.slack_app_token, web_client=client)
    return bot, handler


async def run_socket_mode(*, service: Service, state: SlackState, settings: Settings,
                          orgs: Mapping[str, str] | None = None, stop: asyncio.Event | None = None) -> None:
    """Connect, serve until ``stop`` is set (or the task is cancelled), then finish in-flight work."""
    bot, handler = socket_bot(service=service, state=state, settings=settings, orgs=orgs)
    await bot.start()
    await handler.connect_async()  # type: ignore[no-untyped-call]
    logger.info("Slack Socket Mode connected")
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await bot.stop()
        logger.info("Slack Socket Mode closed")
