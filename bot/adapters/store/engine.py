"""Database URLs and engines: ``sqlite:///PATH`` and ``postgresql://`` become their async drivers."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from bot.errors import ConfigError

# Execution option marking a connection that only reads (``Store.read()``).
READ_ONLY = "privacy_bot_read_only"
# Seconds a SQLite writer waits for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def async_url(url: str) -> str:
    """Translate the configured URL to the async driver's URL (``postgresql+asyncpg``, ``sqlite+aiosqlite``)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError("DATABASE_URL", f"is not a URL: {url!r}")
    if scheme in ("postgresql", "postgres", "postgresql+asyncpg"):
        return "postgresql+asyncpg://" + rest
    if scheme in ("sqlite", "sqlite+aiosqlite"):
        return "sqlite+aiosqlite://" + rest
    raise ConfigError("DATABASE_URL", f"must start with sqlite:/// or postgresql://, got {scheme}://")


def create_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` transactions."""
    target = make_url(async_url(url))
    if target.get_backend_name() != "sqlite":
        return create_async_engine(target, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)
    database = target.database or ""
    memory = database in ("", ":memory:")
    if not memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"poolclass": StaticPool} if memory else {}
    # hide_parameters: database errors end up in logs, and bound values are personal data.
    engine = create_async_engine(target, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                                 hide_parameters=True, **kwargs)
    _sqlite_transactions(engine, wal=not memory)
    return engine


def _sqlite_transactions(engine: AsyncEngine, *, wal: bool) -> None:
    # pysqlite's own deferred BEGIN lets two transactions read and then both try to write: the second gets
    # "database is locked" at once (SQLITE_BUSY_SNAPSHOT ignores the busy timeout). BEGIN IMMEDIATE takes
    # the write lock up front, so writers queue behind the busy timeout instead.
    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if wal:
            _try_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        reading = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _try_wal(cursor: Any) -> None:
    # Switching to WAL needs a moment of exclusive access and answers "database is locked" without
    # waiting when another connection is busy (often one switching it too, at start-up). WAL is a
    # property of the file, so a connection that loses this race still gets it; ensure_wal() makes sure.
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        if not _busy(error):
            raise


async def ensure_wal(engine: AsyncEngine, *, attempts: int = 200, pause: float = 0.05) -> None:
    """Put a SQLite file in WAL mode, retrying while other connections hold it (a no-op elsewhere)."""
    if engine.dialect.name != "sqlite" or (engine.url.database or ":memory:") == ":memory:":
        return
    for _ in range(attempts):
        async with engine.connect() as conn:
            mode = await conn.run_sync(_switch_to_wal)
        if mode == "wal":
            return
        await asyncio.sleep(pause)
    raise sqlite3.OperationalError(f"could not switch {engine.url.database} to WAL: the file stays locked")


def _switch_to_wal(conn: Connection) -> str:
    # On the raw DB-API connection: SQLAlchemy would open a transaction, and the mode cannot change inside one.
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        row = cursor.fetchone()
    except sqlite3.OperationalError as error:
        if not _busy(error):
            raise
        return "busy"
    finally:
        cursor.close()
    return str(row[0]).lower() if row else ""


def _busy(error: sqlite3.OperationalError) -> bool:
    """SQLite's "database is locked" / "busy": another connection holds the file for now."""
    return "locked" in str(error) or "busy" in str(error)
