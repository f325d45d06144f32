"""``SlackState`` over the ticket store: processed_events, slack_channel_orgs and kv_state."""

from __future__ import annotations

from bot.adapters.store import Store
from bot.adapters.store import schema as tables


class StoreSlackState:
    """The real, shared state: a claim made by one bot process is seen by every other."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def claim_event(self, key: str, source: str) -> bool:
        return await self.store.claim_event(key, source)

    async def channel_org(self, channel_id: str) -> str | None:
        return await self.store.channel_org(channel_id)

    async def set_channel_org(self, channel_id: str, team_id: str | None, org: str | None) -> None:
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
