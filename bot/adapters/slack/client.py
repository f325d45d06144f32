"""The Slack Web API client: base URL from SLACK_API_URL, and retries on 429/500 that show in the log."""

from __future__ import annotations

import logging
import time

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

logger = logging.getLogger(__name__)
# A workspace's token is looked up again after this long (an uninstall elsewhere is seen within it).
TEAM_CACHE_SECONDS = 60.0


def _method(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1]


def _describe(response: HttpResponse | None, error: Exception | None) -> str:
    if response is not None:
        return f"HTTP {response.status_code}"
    return type(error).__name__ if error is not None else "no response"


class _Logged(AsyncRetryHandler):
    async def prepare_for_next_attempt_async(self, *, state: RetryState, request: HttpRequest,
                                             response: HttpResponse | None = None,
                                             error: Exception | None = None) -> None:
        logger.warning("Slack API %s answered %s; retry %d of %d", _method(request),
                       _describe(response, error), state.current_attempt + 1, self.max_retry_count)
        await super().prepare_for_next_attempt_async(state=state, request=request, response=response,
                                                     error=error)


class RateLimitRetry(_Logged, AsyncRateLimitErrorRetryHandler):
    """Slack answers 429 with Retry-After: wait that long, then retry."""


class ServerErrorRetry(_Logged, AsyncServerErrorRetryHandler):
    """Slack's 500/503 are transient: retry with backoff."""


class ConnectionRetry(_Logged, AsyncConnectionErrorRetryHandler):
    """A dropped connection: retry."""


def retry_handlers() -> list[AsyncRetryHandler]:
    return [ConnectionRetry(max_retry_count=2), RateLimitRetry(max_retry_count=3),
            ServerErrorRetry(max_retry_count=3)]


def web_client(*, token: str | None, base_url: str) -> AsyncWebClient:
    """An AsyncWebClient aimed at ``base_url`` (Slack's own, a proxy, or the tests' stand-in)."""
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=retry_handlers(), timeout=15)


def webhook(url: str, session: aiohttp.ClientSession | None = None) -> AsyncWebhookClient:
    """A client for a slash command's or a click's ``response_url`` (on the bot's pooled session if given)."""
    return AsyncWebhookClient(url, session=session, retry_handlers=retry_handlers(), timeout=15)


class Clients:
    """The Web API client for a workspace: the one bot token, or that workspace's OAuth installation.

    ``home`` is the client of SLACK_BOT_TOKEN (None in a pure multi-workspace set-up); it also posts the
    staff channel's announcements when set.
    """

    def __init__(self, *, base: AsyncWebClient, home: AsyncWebClient | None,
                 installations: AsyncInstallationStore | None = None) -> None:
        self.base = base
        self.home = home
        self.installations = installations
        self._teams: dict[str, tuple[float, AsyncWebClient | None]] = {}

    async def for_team(self, team: str | None) -> AsyncWebClient:
        """The client holding ``team``'s bot token (falls back to ``home``, then to the token-less base)."""
        if self.installations is None or team is None:
            return self.home or self.base
        cached = self._teams.get(team)
        if cached is None or time.monotonic() - cached[0] > TEAM_CACHE_SECONDS:
            bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team)
            client = None if bot is None else AsyncWebClient(
                token=bot.bot_token, base_url=self.base.base_url, session=self.base.session,
                retry_handlers=self.base.retry_handlers, timeout=self.base.timeout, team_id=team)
            cached = (time.monotonic(), client)
            self._teams[team] = cached
        return cached[1] or self.home or self.base

    def forget(self, team: str | None) -> None:
        """Drop a workspace's cached client (its app was uninstalled or its tokens revoked)."""
        self._teams.pop(team or "", None)
