"""The Slack Web API client: base URL from SLACK_API_URL, and retries on 429/500 that show in the log."""

from __future__ import annotations

import logging

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
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

logger = logging.getLogger(__name__)


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
