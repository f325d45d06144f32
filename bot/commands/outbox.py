"""``python -m bot outbox send|status``: deliver queued mail now, or show what is queued."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("outbox", help="deliver or inspect queued outgoing mail")
    actions = parser.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    actions.add_parser("send", help="try every undelivered message once, now, whatever its backoff, and exit")
    actions.add_parser("status", help="count queued, sent and failed messages")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.runtime import load_settings

    settings = load_settings()
    if args.outbox_command == "send":
        return asyncio.run(_send(settings))
    return asyncio.run(_status(settings))


async def _send(settings: Settings) -> int:
    from bot.adapters.mail_out import send_once
    from bot.adapters.store import Store
    store = await Store.open(settings.effective_database_url)
    try:
        report = await send_once(store, settings)
    finally:
        await store.close()
    where = "SMTP" if settings.smtp_url else f".eml files in {settings.outbox_dir}"
    print(f"sent {report.sent} (to {where}), will retry {report.retry}, failed {report.failed}")
    for error in report.errors:
        print(f"  {error}")
    return 0 if report.retry == 0 and report.failed == 0 else 1


async def _status(settings: Settings) -> int:
    from bot.adapters.store import Store
    store = await Store.open(settings.effective_database_url)
    try:
        counts = await store.outbox_counts()
        last = await store.last_beat("outbox.last_send")
    finally:
        await store.close()
    for status in ("pending", "sending", "sent", "failed"):
        print(f"{status:8} {counts.get(status, 0)}")
    print(f"last send: {last.isoformat() if last else 'never'}")
    return 0
