"""One call for the composition root: Slack over Socket Mode, over HTTP, or off, as the settings say."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping

from aiohttp import web

from bot.adapters.slack.routes import mount_slack
from bot.adapters.slack.socket import run_socket_mode
from bot.adapters.slack.state import SlackState
from bot.config import Settings
from bot.service import Service

logger = logging.getLogger(__name__)


def attach_slack(app: web.Application, *, service: Service, state: SlackState, settings: Settings,
                 orgs: Mapping[str, str] | None = None) -> str:
    """Run Slack with ``app``: "socket" (SLACK_APP_TOKEN), "http" (POST /slack/events) or "off".

    HTTP mode takes SLACK_SIGNING_SECRET with SLACK_BOT_TOKEN (one workspace) and/or SLACK_CLIENT_ID and
    SLACK_CLIENT_SECRET (installed into many workspaces through /slack/install).

    Socket Mode runs for as long as the web app does, and finishes its work in flight when it stops.
    """
    oauth = bool(settings.slack_client_id and settings.slack_client_secret)
    if not settings.slack_bot_token and not oauth:
        if settings.slack_app_token or settings.slack_signing_secret:
            logger.warning("Slack is off: SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) is not set")
        return "off"
    if settings.slack_app_token and settings.slack_bot_token:
        async def socket_mode(_: web.Application) -> AsyncIterator[None]:
            stop = asyncio.Event()
            task = asyncio.get_running_loop().create_task(
                run_socket_mode(service=service, state=state, settings=settings, orgs=orgs, stop=stop),
                name="slack-socket-mode")
            task.add_done_callback(_report)
            yield
            stop.set()
            with contextlib.suppress(Exception):
                await task

        app.cleanup_ctx.append(socket_mode)
        logger.info("Slack: Socket Mode")
        return "socket"
    if not settings.slack_signing_secret:
        logger.warning("Slack is off: SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) is needed")
        return "off"
    mount_slack(app, service=service, state=state, settings=settings, orgs=orgs)
    logger.info("Slack: Events API at POST /slack/events")
    return "http"


def _report(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Slack Socket Mode stopped: %s", task.exception())
