"""One poller per mailbox across processes: a PostgreSQL advisory lock, or a lease row on SQLite."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.store import schema as t
from bot.adapters.store.store import Store

logger = logging.getLogger(__name__)


class MailboxLock:
    """``acquire()`` -> True for the one holder; ``held()`` re-checks it before every act on the mailbox.

    PostgreSQL: ``pg_try_advisory_lock`` on a connection kept open while held (the server drops the lock
    when the process dies). SQLite: a lease row ``mailbox-lease:<name>`` in ``kv_state`` renewed by the
    holder, taken over by another process only after it expired.
    """

    def __init__(self, store: Store, name: str, *, owner: str, ttl: timedelta = timedelta(seconds=60)) -> None:
        self._store = store
        self._name = name
        self._owner = owner
        self._ttl = ttl
        self._conn: AsyncConnection | None = None
        self._key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)

    @property
    def _lease_key(self) -> str:
        return "mailbox-lease:" + hashlib.sha256(self._name.encode()).hexdigest()[:32]

    async def acquire(self) -> bool:
        if self._store.dialect == "postgresql":
            if self._conn is not None:
                return await self.held()
            conn = await self._store.engine.connect()
            try:
                got = bool((await conn.execute(sa.select(sa.func.pg_try_advisory_lock(self._key)))).scalar_one())
                await conn.commit()
            except Exception:
                await conn.close()
                raise
            if not got:
                await conn.close()
                return False
            self._conn = conn
            return True
        return await self._lease()

    async def held(self) -> bool:
        """Still ours? (PostgreSQL: the locking connection is alive; SQLite: renew the lease.)"""
        if self._store.dialect == "postgresql":
            if self._conn is None:
                return False
            try:
                await self._conn.execute(sa.text("SELECT 1"))
                await self._conn.commit()
                return True
            except Exception:  # a dead connection means the lock is gone with it
                logger.warning("lost the mailbox lock's database connection")
                await self._drop()
                return False
        return await self._lease()

    async def release(self) -> None:
        if self._store.dialect == "postgresql":
            if self._conn is not None:
                try:
                    await self._conn.execute(sa.select(sa.func.pg_advisory_unlock(self._key)))
                    await self._conn.commit()
                except Exception:  # closing the connection frees the lock anyway
                    logger.debug("advisory unlock failed", exc_info=True)
                await self._drop()
            return
        async with self._store.tx() as conn:
            await conn.execute(t.kv_state.delete().where(t.kv_state.c.key == self._lease_key,
                                                         t.kv_state.c.value.like(f"{self._owner}|%")))

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:
                logger.debug("closing the lock connection failed", exc_info=True)

    async def _lease(self) -> bool:
        now = self._store.now()
        value = f"{self._owner}|{(now + self._ttl).isoformat()}"
        async with self._store.tx() as conn:
            if await self._store.insert_ignore(conn, t.kv_state, {"key": self._lease_key, "value": value,
                                                                  "updated_at": now}, keys=("key",)):
                return True
            current = (await conn.execute(sa.select(t.kv_state.c.value).where(t.kv_state.c.key == self._lease_key)
                                          .with_for_update())).scalar_one()
            owner, _, until = current.rpartition("|")
            try:
                expired = datetime.fromisoformat(until) < now
            except ValueError:
                expired = True
            if owner != self._owner and not expired:
                return False
            await conn.execute(t.kv_state.update().where(t.kv_state.c.key == self._lease_key)
                               .values(value=value, updated_at=now))
            return True
