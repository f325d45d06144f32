"""``python -m bot submit``: answer like ``ask`` and really file a recognised request (ticket + mails)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("submit", help="answer and, for a rights request, file a ticket and queue its mail")
    parser.add_argument("text", help="the question or request")
    parser.add_argument("--org", help="organisation id (default: the one the text names, or the only one)")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)")
    parser.add_argument("--from", dest="sender", metavar="ADDRESS",
                        help="the requester's e-mail address (the acknowledgement goes there)")
    parser.add_argument("--name", help="the requester's name")
    parser.add_argument("--no-send", action="store_true",
                        help="only queue the mail; `python -m bot outbox send` or the worker delivers it")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.errors import InvalidInput

    if not args.text.strip():
        raise InvalidInput("the message is empty; usage: python -m bot submit [--org ID] TEXT")
    return asyncio.run(_submit(args))


async def _submit(args: argparse.Namespace) -> int:
    import json
    import sys

    from bot.adapters.mail_out import send_once
    from bot.adapters.store import Store
    from bot.core.models import Channel, Inquiry, Requester
    from bot.filing import TicketFiler
    from bot.runtime import build_assistant, load_settings
    from bot.service import Service

    settings = load_settings(knowledge=args.knowledge)
    assistant = build_assistant(settings.knowledge_dir)
    store = await Store.open(settings.effective_database_url)
    try:
        orgs = {p.id: p.meta for p in assistant.policies}
        service = Service(assistant, TicketFiler(store, mail_from=settings.mail_from, orgs=orgs))
        requester = None
        if args.sender or args.name:
            requester = Requester(channel=Channel.CLI, address=args.sender, name=args.name)
        outcome = await service.handle(Inquiry(text=args.text, channel=Channel.CLI, org=args.org, requester=requester))
        print(json.dumps(outcome.to_json(), ensure_ascii=False))
        if outcome.ticket is None:
            print("not a rights request: nothing filed", file=sys.stderr)
        elif not args.no_send and not outcome.ticket.duplicate:
            report = await send_once(store, settings, force=False)
            where = "via SMTP" if settings.smtp_url else f"as .eml files in {settings.outbox_dir}"
            print(f"{outcome.ticket.reference}: {report.sent} mail(s) sent {where}"
                  + (f", {report.retry} to retry" if report.retry else "")
                  + (f", {report.failed} failed" if report.failed else ""), file=sys.stderr)
    finally:
        await store.close()
    return 0
