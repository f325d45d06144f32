"""Small shared state: event de-duplication, Slack channel organisations, heartbeats and key/values."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.adapters.store import schema as t
from bot.adapters.store.base import StoreBase


class StateRepo(StoreBase):
    async def claim_event(self, key: str, source: str) -> bool:
        """True only for the first caller with this key, across processes (Slack event ids, mail ids...)."""
        async with self.tx() as conn:
            return await self.insert_ignore(conn, t.processed_events,
                                            {"key": key[:300], "source": source[:32], "at": self.now()},
                                            keys=("key",))

    async def forget_events(self, older_than: timedelta, *, sources: Collection[str] | None = None) -> int:
        """Drop de-duplication keys older than the longest retry window of their source (all, or ``sources``)."""
        query = t.processed_events.delete().where(t.processed_events.c.at < self.now() - older_than)
        if sources is not None:
            query = query.where(t.processed_events.c.source.in_(tuple(sources)))
        async with self.tx() as conn:
            result = await conn.execute(query)
        return int(result.rowcount or 0)

    async def channel_org(self, channel_id: str) -> str | None:
        async with self.read() as conn:
            return (await conn.execute(sa.select(t.slack_channel_orgs.c.org)
                                       .where(t.slack_channel_orgs.c.channel_id == channel_id))).scalar_one_or_none()

    async def set_channel_org(self, channel_id: str, org: str, *, team_id: str | None = None) -> None:
        async with self.tx() as conn:
            updated = await conn.execute(t.slack_channel_orgs.update().where(
                t.slack_channel_orgs.c.channel_id == channel_id).values(org=org, team_id=team_id))
            if not updated.rowcount:
                await self.insert_ignore(conn, t.slack_channel_orgs,
                                         {"channel_id": channel_id, "team_id": team_id, "org": org},
                                         keys=("channel_id",))

    async def set_state(self, key: str, value: str) -> None:
        """Upsert a key/value (e.g. a heartbeat: ``heartbeat("imap.last_poll")``)."""
        now = self.now()
        async with self.tx() as conn:
            updated = await conn.execute(t.kv_state.update().where(t.kv_state.c.key == key)
                                         .values(value=value, updated_at=now))
            if not updated.rowcount and not await self.insert_ignore(
                    conn, t.kv_state, {"key": key, "value": value, "updated_at": now}, keys=("key",)):
                await conn.execute(t.kv_state.update().where(t.kv_state.c.key == key)
                                   .values(value=value, updated_at=now))

    async def get_state(self, key: str) -> tuple[str, datetime] | None:
        async with self.read() as conn:
            row = (await conn.execute(sa.select(t.kv_state.c.value, t.kv_state.c.updated_at)
                                      .where(t.kv_state.c.key == key))).first()
        return None if row is None else (row[0], row[1])

    async def heartbeat(self, key: str) -> None:
        await self.set_state(key, self.now().isoformat())

    async def last_beat(self, key: str) -> datetime | None:
        """When ``heartbeat(key)`` last ran, or None."""
        state = await self.get_state(key)
        return None if state is None else state[1]

    async def ping(self) -> None:
        """Raise when the database cannot be reached (readiness checks)."""
        async with self.read() as conn:
            await conn.execute(sa.text("SELECT 1"))
