"""Run the Alembic migrations programmatically (on start and as ``python -m bot migrate``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.store.engine import create_engine, ensure_wal

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# Any constant key: serialises migrations when several processes start at once on one PostgreSQL.
_PG_LOCK_KEY = 7_310_421_337


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


async def migrate(url: str) -> tuple[str, ...]:
    """Upgrade the database at ``url`` to every head (other helpers' branches included); returns the heads."""
    engine = create_engine(url)
    try:
        return await migrate_engine(engine)
    finally:
        await engine.dispose()


async def migrate_engine(engine: AsyncEngine) -> tuple[str, ...]:
    """``migrate`` over an engine the caller keeps (an in-memory SQLite database lives only in its engine)."""
    await ensure_wal(engine)
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        heads: tuple[str, ...] = await conn.run_sync(_upgrade)
    logger.info("database schema at %s", ", ".join(heads))
    return heads


async def current_revisions(url: str) -> tuple[str, ...]:
    """The revisions the database is at (empty before the first migration)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current)
    finally:
        await engine.dispose()


def expected_heads(config: Config | None = None) -> tuple[str, ...]:
    """What the database records once fully migrated: the script heads no other head depends on."""
    script = ScriptDirectory.from_config(config or alembic_config())
    heads = set(script.get_heads())
    implied: set[str] = set()
    for head in heads:
        stack = [head]
        while stack:
            revision = script.get_revision(stack.pop())
            if revision is None:
                continue
            for parent in (*_ids(revision.down_revision), *_ids(revision.dependencies)):
                resolved = script.get_revision(parent)
                if resolved is not None and resolved.revision not in implied:
                    implied.add(resolved.revision)
                    stack.append(resolved.revision)
    return tuple(sorted(heads - implied))


def _ids(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _upgrade(conn: Connection) -> tuple[str, ...]:
    config = alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, "heads")
    return _current(conn)


def _current(conn: Connection) -> tuple[str, ...]:
    return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
