"""``python -m bot reminders``: send the deadline reminders due now (the worker also does this daily)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.models import PolicyMeta


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "reminders", help="queue the deadline reminders due now: staff digest, Slack, unacknowledged forwards")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.runtime import build_assistant, load_settings

    settings = load_settings()
    metas = [p.meta for p in build_assistant(settings.knowledge_dir).policies]
    return asyncio.run(_send(settings, metas))


async def _send(settings: Settings, metas: Sequence[PolicyMeta]) -> int:
    from bot.adapters.store import Store
    from bot.reminders import send_reminders

    store = await Store.open(settings.effective_database_url)
    try:
        report = await send_reminders(store, settings, metas=metas)
    finally:
        await store.close()
    where = "STAFF_EMAIL" if settings.staff_email else ""
    if settings.slack_staff_channel and settings.slack_bot_token:
        where += (" and " if where else "") + "the Slack staff channel"
    if report.digest:
        print(f"digest to {where}: {', '.join(report.digest)}")
    elif not where:
        print("no digest: set STAFF_EMAIL or SLACK_STAFF_CHANNEL to get one")
    else:
        print("digest: nothing newly due")
    print(f"organisations reminded of unacknowledged forwards: {', '.join(report.ack_reminders) or 'none'}")
    print("queued mail goes out with the worker or `python -m bot outbox send`")
    return 0
