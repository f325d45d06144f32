"""``Store``: the one async data layer over SQLite or PostgreSQL (open it with ``await Store.open(url)``)."""

from __future__ import annotations

import logging

from bot.adapters.store.base import Clock, utc_now
from bot.adapters.store.engine import create_engine
from bot.adapters.store.inbound import InboundRepo
from bot.adapters.store.migrate import migrate_engine
from bot.adapters.store.outbox import OutboxRepo
from bot.adapters.store.state import StateRepo

logger = logging.getLogger(__name__)


class Store(OutboxRepo, InboundRepo, StateRepo):
    """Tickets, audit log, outbox, inbound mail queue and shared state; every method is one transaction."""

    @classmethod
    async def open(cls, url: str, *, clock: Clock = utc_now, run_migrations: bool = True) -> Store:
        """Connect (creating the SQLite file and folder when needed) and bring the schema up to date."""
        engine = create_engine(url)
        try:
            if run_migrations:
                await migrate_engine(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine, clock=clock)

    async def close(self) -> None:
        await self._engine.dispose()
