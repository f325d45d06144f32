"""What the Slack channel needs from the database: event claims, channel organisations, pending questions."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol


class SlackState(Protocol):
    """Durable state shared by every bot process (the store implements it; see ``store_state``)."""

    async def claim_event(self, key: str, source: str) -> bool:
        """True only the first time ``key`` is claimed, across retries and processes."""
        ...

    async def channel_org(self, channel_id: str) -> str | None:
        """The organisation configured for a channel, if any."""
        ...

    async def set_channel_org(self, channel_id: str, team_id: str | None, org: str | None) -> None:
        """Configure (or with ``None`` clear) a channel's organisation."""
        ...

    async def remember(self, key: str, value: str) -> None:
        """Keep a small value (a question awaiting a click) under ``key``."""
        ...

    async def recall(self, key: str) -> str | None:
        """The value kept under ``key``, if any."""
        ...

    async def forget(self, key: str) -> None:
        """Drop the value kept under ``key`` (the click it waited for came)."""
        ...

    async def expire(self, prefix: str, older_than: timedelta) -> int:
        """Drop values under ``prefix`` kept longer than ``older_than`` (questions nobody clicked on)."""
        ...

    async def begin_job(self, key: str, payload: str) -> bool:
        """Claim ``key`` (as ``claim_event``) and, if first, record the work to do, in one transaction."""
        ...

    async def finish_job(self, key: str) -> None:
        """The work recorded by ``begin_job`` is done."""
        ...

    async def take_stale_jobs(self, older_than: timedelta) -> list[tuple[str, str]]:
        """Unfinished work recorded longer ago than ``older_than`` (its process died), taken over atomically."""
        ...
