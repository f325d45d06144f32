"""``python -m bot purge [--dry-run]``: erase personal data of tickets closed longer ago than RETENTION_MONTHS."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "purge", help="apply the retention policy: erase personal data of long-closed tickets (RETENTION_MONTHS)")
    parser.add_argument("--dry-run", action="store_true",
                        help="only list what would be erased (references and counts, no personal data)")
    parser.add_argument("--months", type=int, help="retention in months (default: RETENTION_MONTHS or 24)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.runtime import load_settings

    settings = load_settings()
    months = args.months if args.months is not None else settings.retention_months
    if months < 1:
        print("error: --months must be at least 1")
        return 2
    return asyncio.run(_purge(settings.effective_database_url, settings.outbox_dir, months=months,
                              dry_run=args.dry_run))


async def _purge(url: str, outbox_dir: Path, *, months: int, dry_run: bool) -> int:
    from bot.adapters.eml_files import remove_eml_copies
    from bot.adapters.store import Store
    from bot.adapters.store.retention import purge_expired, summarise

    store = await Store.open(url)
    try:
        report = await purge_expired(store, months=months, actor="cli", dry_run=dry_run)
    finally:
        await store.close()
    for line in summarise(report):
        print(line)
    removed = remove_eml_copies(outbox_dir, report.message_ids)
    if removed:
        print(f"removed {removed} .eml copy(ies) of erased mail from {outbox_dir}")
    return 0
