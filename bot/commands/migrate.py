"""``python -m bot migrate``: bring the database schema up to date (the Procfile's ``release`` step)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("migrate", help="create or upgrade the database schema (DATABASE_URL)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.adapters.store import migrate
    from bot.runtime import load_settings

    settings = load_settings()
    heads = asyncio.run(migrate(settings.effective_database_url))
    where = settings.redacted().get("database_url", settings.effective_database_url)
    print(f"database {where} is at revision {', '.join(heads)}")
    return 0
