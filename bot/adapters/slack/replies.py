"""Where a reply goes: a new message in a thread, an update in place, or a ``response_url``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.client import webhook

logger = logging.getLogger(__name__)


class Target(Protocol):
    async def send(self, text: str, blocks: Sequence[dict[str, Any]]) -> bool:
        """Deliver the reply; False (and logged) when Slack refused it for good."""
        ...


@dataclass(frozen=True, slots=True)
class Thread:
    """A new message in the thread of the question (``thread_ts``), or at top level when None."""

    client: AsyncWebClient
    channel: str
    thread_ts: str | None

    async def send(self, text: str, blocks: Sequence[dict[str, Any]]) -> bool:
        try:
            await self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, text=text,
                                               blocks=list(blocks), unfurl_links=False, unfurl_media=False)
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            logger.error("Slack chat.postMessage failed for good: %s", _reason(exc))
            return False
        return True


@dataclass(frozen=True, slots=True)
class InPlace:
    """The bot's own message ``ts`` in ``channel`` rewritten (a menu answered, a button clicked)."""

    client: AsyncWebClient
    channel: str
    ts: str

    async def send(self, text: str, blocks: Sequence[dict[str, Any]]) -> bool:
        try:
            await self.client.chat_update(channel=self.channel, ts=self.ts, text=text, blocks=list(blocks))
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            logger.error("Slack chat.update failed for good: %s", _reason(exc))
            return False
        return True


@dataclass(frozen=True, slots=True)
class ResponseUrl:
    """A slash command's or an ephemeral message's ``response_url``: visible to the asker only."""

    url: str
    replace_original: bool = False
    session: aiohttp.ClientSession | None = None

    async def send(self, text: str, blocks: Sequence[dict[str, Any]]) -> bool:
        try:
            response = await webhook(self.url, self.session).send(
                text=text, blocks=list(blocks), response_type="ephemeral",
                replace_original=self.replace_original or None)
        except (SlackClientError, OSError, TimeoutError, ValueError) as exc:
            logger.error("Slack response_url failed for good: %s", _reason(exc))
            return False
        if response.status_code >= 300:
            logger.error("Slack response_url answered HTTP %s", response.status_code)
            return False
        return True


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", "?")
        error = exc.response.get("error") if hasattr(exc.response, "get") else None
        return f"HTTP {status} {error or ''}".strip()
    return f"{type(exc).__name__}: {exc}"
