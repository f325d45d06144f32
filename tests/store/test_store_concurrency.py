"""Several stores on one database at once: unique references, one ticket per repeated request, migrations."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.adapters.store import Store, migrate
from bot.adapters.store.engine import async_url, create_engine
from bot.adapters.store.migrate import current_revisions, expected_heads
from bot.adapters.store.schema import metadata

from .helpers import new_ticket, simple_mails


async def test_concurrent_filing_from_two_stores_gives_unique_gapless_references(store_url: str, clock: Any) -> None:
    stores = [await Store.open(store_url, clock=clock), await Store.open(store_url, clock=clock)]
    try:
        jobs = [stores[i % 2].file_request(new_ticket(clock(), requester=f"p{i}@x.se"), simple_mails)
                for i in range(40)]
        results = await asyncio.gather(*jobs)
        refs = sorted(r.ticket.reference for r in results)
        assert refs == [f"DSR-2026-{n:05d}" for n in range(1, 41)]
        assert len(await stores[0].list_outbox()) == 80
    finally:
        for s in stores:
            await s.close()


async def test_the_same_request_racing_from_two_stores_files_one_ticket(store_url: str, clock: Any) -> None:
    stores = [await Store.open(store_url, clock=clock), await Store.open(store_url, clock=clock)]
    try:
        results = await asyncio.gather(*(stores[i % 2].file_request(new_ticket(clock()), simple_mails)
                                         for i in range(10)))
        assert len({r.ticket.reference for r in results}) == 1
        assert sum(not r.duplicate for r in results) == 1
        assert (await stores[0].list_tickets()).total == 1 and len(await stores[0].list_outbox()) == 2
    finally:
        for s in stores:
            await s.close()


async def test_migrations_are_idempotent_concurrent_and_match_the_tables(store_url: str) -> None:
    results = await asyncio.gather(migrate(store_url), migrate(store_url), migrate(store_url))
    assert all(r == expected_heads() for r in results)
    assert await current_revisions(store_url) == expected_heads()
    engine = create_engine(store_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), metadata))
    finally:
        await engine.dispose()
    assert diff == []


def test_database_urls_map_to_async_drivers() -> None:
    assert async_url("postgresql://u:p@h:5432/db") == "postgresql+asyncpg://u:p@h:5432/db"
    assert async_url("postgres://h/db") == "postgresql+asyncpg://h/db"
    assert async_url("sqlite:////var/data/x.sqlite3") == "sqlite+aiosqlite:////var/data/x.sqlite3"
    import pytest

    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="DATABASE_URL"):
        async_url("mysql://h/db")


async def test_the_same_inquiry_racing_from_two_stores_files_one_ticket(store_url: str, clock: Any) -> None:
    stores = [await Store.open(store_url, clock=clock), await Store.open(store_url, clock=clock)]
    try:
        results = await asyncio.gather(*(stores[i % 2].file_request(
            new_ticket(clock(), requester=None, channel="slack", external_id="Ev42"), simple_mails)
            for i in range(8)))
        assert len({r.ticket.reference for r in results}) == 1
        assert sum(not r.existing for r in results) == 1
        assert (await stores[0].list_tickets()).total == 1
    finally:
        for s in stores:
            await s.close()


async def test_readers_do_not_wait_for_an_open_write_transaction(sqlite_url: str, clock: Any) -> None:
    store = await Store.open(sqlite_url, clock=clock)
    try:
        await store.set_state("k", "old")
        async with store.tx() as conn:
            from bot.adapters.store import schema as t

            await conn.execute(t.kv_state.update().values(value="new"))
            state = await asyncio.wait_for(store.get_state("k"), 2)  # would wait out the busy timeout before
            assert state is not None and state[0] == "old"
        state = await store.get_state("k")
        assert state is not None and state[0] == "new"
    finally:
        await store.close()


BRANCH = '''"""A channel's own tables."""
import sqlalchemy as sa
from alembic import op

revision = "9001_channel"
down_revision = None
branch_labels = ("channel",)
depends_on = "0001_initial"


def upgrade() -> None:
    op.create_table("channel_things", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("channel_things")
'''


async def test_upgrade_heads_applies_another_branch_after_the_store(sqlite_url: str, tmp_path: Any) -> None:
    from alembic import command

    from bot.adapters.store.migrate import MIGRATIONS_DIR, alembic_config

    (tmp_path / "branch").mkdir()
    (tmp_path / "branch" / "9001_channel.py").write_text(BRANCH)
    engine = create_engine(sqlite_url)

    config = alembic_config()
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(
        [str(MIGRATIONS_DIR / "versions"), str(tmp_path / "branch")]))

    def upgrade(conn: Any) -> tuple[str, ...]:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
        names = set(sa.inspect(conn).get_table_names())
        assert {"tickets", "channel_things"} <= names
        return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))

    try:
        async with engine.begin() as conn:
            assert await conn.run_sync(upgrade) == ("9001_channel",) == expected_heads(config)
    finally:
        await engine.dispose()
