"""Multi-workspace installation: "Add to Slack" at GET /slack/install, Slack's redirect back, tokens in our DB."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from bot.adapters.slack.installations import StoreInstallations, StoreOAuthStates
from bot.adapters.slack.state import SlackState
from bot.adapters.slack.store_state import StoreSlackState
from bot.config import Settings
from bot.errors import ConfigError

logger = logging.getLogger(__name__)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The same scopes as slack/manifest.yml.
BOT_SCOPES = ("app_mentions:read", "chat:write", "im:history", "im:read", "im:write", "commands", "users:read",
              "users:read.email")


def oauth_settings(settings: Settings, state: SlackState) -> AsyncOAuthSettings | None:
    """OAuth when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (installations kept in the store)."""
    if not settings.slack_client_id and not settings.slack_client_secret:
        return None
    if not settings.slack_client_id or not settings.slack_client_secret:
        missing = "SLACK_CLIENT_SECRET" if settings.slack_client_id else "SLACK_CLIENT_ID"
        raise ConfigError(missing, "is needed for multi-workspace OAuth (both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
    if not isinstance(state, StoreSlackState):
        raise ConfigError("SLACK_CLIENT_ID", "multi-workspace OAuth needs the database-backed Slack state")
    redirect = f"{settings.public_url.rstrip('/')}{REDIRECT_PATH}" if settings.public_url else None
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret, scopes=list(BOT_SCOPES),
        installation_store=StoreInstallations(state.store), state_store=StoreOAuthStates(state.store),
        install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH, redirect_uri=redirect)


def add_oauth_routes(app: web.Application, bolt: AsyncApp) -> None:
    """GET /slack/install (the "Add to Slack" page) and GET /slack/oauth_redirect (Slack sends people back)."""
    flow = bolt.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

    async def callback(request: web.Request) -> web.StreamResponse:
        response = await flow.handle_callback(await to_bolt_request(request))
        if response.status >= 400:
            logger.warning("Slack OAuth callback refused (HTTP %s)", response.status)
        return await to_aiohttp_response(response)

    app.router.add_get(INSTALL_PATH, install)
    app.router.add_get(REDIRECT_PATH, callback)
