"""``python -m bot mail list|show|retry|receive|process``: the inbound mail queue and its quarantine."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.adapters.store import InboundRow, Store
    from bot.config import Settings

STATUSES = ("new", "processing", "done", "quarantined", "ignored")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("mail", help="inspect the inbound mail queue and its quarantine")
    actions = parser.add_subparsers(dest="mail_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list received mail (newest last)")
    listing.add_argument("--status", choices=STATUSES, help="only this status, e.g. quarantined")
    listing.add_argument("--limit", type=int, default=50)
    show = actions.add_parser("show", help="one message's outcome, error and raw headers")
    show.add_argument("id", type=int)
    show.add_argument("--raw", action="store_true", help="print the raw message exactly as received")
    retry = actions.add_parser("retry", help="process a quarantined or ignored message again")
    retry.add_argument("id", type=int)
    receive = actions.add_parser("receive", help="queue a raw message from a file or stdin (an MTA pipe)")
    receive.add_argument("file", nargs="?", default="-", help="the .eml file, or - for stdin (default)")
    actions.add_parser("process", help="process every queued message now, queue the replies, and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.runtime import load_settings

    return asyncio.run(_run(args, load_settings()))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.adapters.store import Store

    store = await Store.open(settings.effective_database_url)
    try:
        command = args.mail_command
        if command == "list":
            return await _list(store, args.status, args.limit)
        if command == "show":
            return await _show(store, args.id, raw=args.raw)
        if command == "retry":
            return await _retry(store, args.id)
        if command == "receive":
            return await _receive(store, args.file)
        return await _process(store, settings)
    finally:
        await store.close()


def _line(row: InboundRow) -> str:
    outcome = dict(row.outcome or {})
    what = outcome.get("action") or row.status
    extra = str(outcome.get("ticket") or outcome.get("reason") or row.error or "")
    if outcome.get("looks_like_request"):
        extra += f" - reads like a {outcome['looks_like_request']} request: check it by hand"
    return (f"{row.id:>6}  {row.received_at:%Y-%m-%d %H:%M}  {row.transport:5}  {row.status:11}  "
            f"{row.size:>9}  {what}  {extra}").rstrip()


async def _list(store: Store, status: str | None, limit: int) -> int:
    rows = await store.list_inbound(status=status, limit=max(1, limit))
    print(f"{'id':>6}  {'received':16}  {'via':5}  {'status':11}  {'bytes':>9}  outcome")
    for row in rows:
        print(_line(row))
    return 0


async def _show(store: Store, inbound_id: int, *, raw: bool) -> int:
    import sys

    from bot.errors import InvalidInput

    row = await store.get_inbound(inbound_id)
    if row is None:
        raise InvalidInput(f"no inbound message {inbound_id}")
    if raw:
        sys.stdout.buffer.write(row.raw)
        return 0
    print(_line(row))
    print(f"message-id: {row.message_id or '(none: deduplicated by a hash of its bytes)'}")
    if row.error:
        print(f"error: {row.error}")
    if row.outcome:
        print(f"outcome: {dict(row.outcome)}")
    head = row.raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    print("--- headers as received ---")
    print(head[:20_000].decode("utf-8", "replace"))
    return 0


async def _retry(store: Store, inbound_id: int) -> int:
    from bot.errors import InvalidInput

    row = await store.get_inbound(inbound_id)
    if row is None:
        raise InvalidInput(f"no inbound message {inbound_id}")
    if row.status not in ("quarantined", "ignored"):
        raise InvalidInput(f"message {inbound_id} is {row.status}; only quarantined or ignored mail is retried")
    await store.finish_inbound(inbound_id, status="new")
    print(f"message {inbound_id} queued again; the mail pipeline (serve --all, worker, or `mail process`) takes it")
    return 0


async def _receive(store: Store, source: str) -> int:
    import sys
    from pathlib import Path

    from bot.adapters.mail_in import store_raw

    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    row_id, created, _ = await store_raw(store, raw, transport="pipe")
    print(f"queued as {row_id}" if created else f"already queued as {row_id}")
    return 0


async def _process(store: Store, settings: Settings) -> int:
    from collections import Counter

    from bot.filing import TicketFiler
    from bot.mail_pipeline import MailPipeline, worker_name
    from bot.runtime import build_assistant
    from bot.service import Service

    assistant = build_assistant(settings.knowledge_dir)
    metas = [p.meta for p in assistant.policies]
    service = Service(assistant, TicketFiler(store, mail_from=settings.mail_from, orgs={m.id: m for m in metas}))
    pipeline = MailPipeline(store, service, settings, metas=metas)
    worker = worker_name("mail-cli")
    actions: Counter[str] = Counter()
    try:
        while rows := await store.claim_inbound(worker, limit=20):
            for row in rows:
                actions[await pipeline.process(row)] += 1
    finally:
        await store.release_inbound(worker)
    print(", ".join(f"{n} {action}" for action, n in sorted(actions.items())) or "nothing queued")
    print("replies are in the outbox: `python -m bot outbox send` delivers them")
    return 0
