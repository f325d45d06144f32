"""Alembic environment: runs on the connection handed over by ``bot.adapters.store.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.adapters.store.schema import metadata

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `python -m bot migrate` (it opens the connection), not bare alembic")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
