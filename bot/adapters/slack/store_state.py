"""``SlackState`` over the ticket store: processed_events, slack_channel_orgs and kv_state."""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa

from bot.adapters.store import Store
from bot.adapters.store import schema as tables

JOB_PREFIX = "slack:job:"
# Channel organisations change rarely; another bot process sees a change within this many seconds.
ORG_CACHE_SECONDS = 10.0


class StoreSlackState:
    """The real, shared state: a claim made by one bot process is seen by every other at once."""

    def __init__(self, store: Store, *, org_cache_seconds: float = ORG_CACHE_SECONDS) -> None:
        self.store = store
        self._ttl = org_cache_seconds
        self._orgs: dict[str, tuple[float, str | None]] = {}

    async def claim_event(self, key: str, source: str) -> bool:
        return await self.store.claim_event(key, source)

    async def channel_org(self, channel_id: str) -> str | None:
        cached = self._orgs.get(channel_id)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        org = await self.store.channel_org(channel_id)
        if len(self._orgs) > 10_000:
            self._orgs.clear()
        self._orgs[channel_id] = (time.monotonic(), org)
        return org

    async def set_channel_org(self, channel_id: str, team_id: str | None, org: str | None) -> None:
        self._orgs.pop(channel_id, None)
        if org is not None:
            await self.store.set_channel_org(channel_id, org, team_id=team_id)
            return
        table = tables.slack_channel_orgs
        async with self.store.tx() as conn:
            await conn.execute(table.delete().where(table.c.channel_id == channel_id))

    async def remember(self, key: str, value: str) -> None:
        await self.store.set_state(key, value)

    async def recall(self, key: str) -> str | None:
        found = await self.store.get_state(key)
        return None if found is None else found[0]

    async def forget(self, key: str) -> None:
        table = tables.kv_state
        async with self.store.tx() as conn:
            await conn.execute(table.delete().where(table.c.key == key))

    async def expire(self, prefix: str, older_than: timedelta) -> int:
        table = tables.kv_state
        async with self.store.tx() as conn:
            result = await conn.execute(table.delete().where(
                table.c.key.startswith(prefix, autoescape=True),
                table.c.updated_at < self.store.now() - older_than))
        return int(result.rowcount or 0)

    async def begin_job(self, key: str, payload: str) -> bool:
        store, now = self.store, self.store.now()
        async with store.tx() as conn:
            if not await store.insert_ignore(conn, tables.processed_events,
                                             {"key": key[:300], "source": "slack", "at": now}, keys=("key",)):
                return False
            await store.insert_ignore(conn, tables.kv_state, {"key": _job_key(key), "value": payload,
                                                              "updated_at": now}, keys=("key",))
        return True

    async def finish_job(self, key: str) -> None:
        table = tables.kv_state
        async with self.store.tx() as conn:
            await conn.execute(table.delete().where(table.c.key == _job_key(key)))

    async def take_stale_jobs(self, older_than: timedelta) -> list[tuple[str, str]]:
        table, now = tables.kv_state, self.store.now()
        async with self.store.tx() as conn:
            rows = (await conn.execute(sa.select(table.c.key, table.c.value, table.c.updated_at).where(
                table.c.key.startswith(JOB_PREFIX, autoescape=True), table.c.updated_at < now - older_than)
                .order_by(table.c.updated_at).limit(100))).all()
            taken: list[tuple[str, str]] = []
            for key, value, seen in rows:
                # Compare-and-set on the time seen: of two processes sweeping at once, one takes the job.
                moved = await conn.execute(table.update().where(table.c.key == key, table.c.updated_at == seen)
                                           .values(updated_at=now))
                if moved.rowcount:
                    taken.append((key.removeprefix(JOB_PREFIX), value))
        return taken


def _job_key(key: str) -> str:
    return (JOB_PREFIX + key)[:200]
