"""``python -m bot tickets list|show|export|status|note|extend``: the ticket queue for staff without the web page."""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.adapters.store import Store, TicketQuery


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("tickets", help="list, show, export and act on rights-request tickets")
    actions = parser.add_subparsers(dest="tickets_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the queue, soonest deadline first")
    _filters(listing)
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--per-page", type=int, default=50)
    listing.add_argument("--json", action="store_true", help="one JSON object per ticket")
    show = actions.add_parser("show", help="one ticket with its mails and audit timeline")
    show.add_argument("reference")
    show.add_argument("--json", action="store_true")
    export = actions.add_parser("export", help="the (filtered) tickets as CSV on standard output")
    export.add_argument("--format", choices=("csv",), default="csv")
    _filters(export)
    status = actions.add_parser("status", help="move a ticket to another status (audited)")
    status.add_argument("reference")
    status.add_argument("new_status")
    status.add_argument("--reason", help="required for refused")
    status.add_argument("--duplicate-of", metavar="REF", help="for duplicate: the ticket this one repeats")
    note = actions.add_parser("note", help="add an internal note to the timeline")
    note.add_argument("reference")
    note.add_argument("text")
    extend = actions.add_parser("extend", help="extend the deadline once by two months (Art. 12(3))")
    extend.add_argument("reference")
    extend.add_argument("--reason", required=True)
    for sub in (status, note, extend):
        sub.add_argument("--actor", help="who acts, for the audit log (default: cli:<login name>)")
    parser.set_defaults(func=run)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", action="append", help="repeatable, e.g. --status new --status forwarded")
    parser.add_argument("--right")
    parser.add_argument("--org")
    parser.add_argument("--channel")
    parser.add_argument("--overdue", action="store_true")
    parser.add_argument("--open", action="store_true", help="only tickets still open")
    parser.add_argument("--search", metavar="TEXT", help="free text in reference, requester, message")


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from bot.adapters.store import Store
    from bot.runtime import load_settings

    store = await Store.open(load_settings().effective_database_url)
    try:
        command = args.tickets_command
        if command == "list":
            return await _list(store, args)
        if command == "show":
            return await _show(store, args)
        if command == "export":
            return await _export(store, args)
        return await _act(store, args)
    finally:
        await store.close()


def _query(args: argparse.Namespace, *, page: int = 1, per_page: int = 50) -> TicketQuery:
    from bot.adapters.store import TicketQuery

    return TicketQuery(status=tuple(args.status) if args.status else None, right=args.right, org=args.org,
                       channel=args.channel, overdue=args.overdue, open_only=args.open, text=args.search,
                       page=page, per_page=per_page)


async def _list(store: Store, args: argparse.Namespace) -> int:
    import json

    today = store.now().date()
    page = await store.list_tickets(_query(args, page=args.page, per_page=args.per_page), today=today)
    if args.json:
        for tk in page.items:
            print(json.dumps({"reference": tk.reference, "status": tk.status.value, "org": tk.org, "right": tk.right,
                              "channel": tk.channel, "received_at": tk.received_at.isoformat(),
                              "deadline": tk.effective_deadline.isoformat(),
                              "days_left": tk.days_left(today) if tk.is_open else None}))
        return 0
    print(f"{'REFERENCE':16} {'STATUS':17} {'ORG':12} {'RIGHT':16} {'CHANNEL':7} {'RECEIVED':10} "
          f"{'DEADLINE':10} LEFT")
    for tk in page.items:
        left = str(tk.days_left(today)) if tk.is_open else "-"
        print(f"{tk.reference:16} {tk.status.value:17} {tk.org[:12]:12} {tk.right:16} {tk.channel:7} "
              f"{tk.received_at.date().isoformat():10} {tk.effective_deadline.isoformat():10} {left}")
    print(f"-- page {page.page} of {page.pages}, {page.total} ticket(s)")
    return 0


async def _show(store: Store, args: argparse.Namespace) -> int:
    import json

    from bot.adapters.store import TicketNotFound

    ticket = await store.get_ticket(args.reference)
    if ticket is None:
        raise TicketNotFound(args.reference)
    events = await store.events(ticket.reference)
    mails = await store.outbox_for_ticket(ticket.reference)
    today = store.now().date()
    if args.json:
        print(json.dumps({
            "reference": ticket.reference, "status": ticket.status.value, "org": ticket.org, "right": ticket.right,
            "article": ticket.article, "channel": ticket.channel, "language": ticket.language,
            "requester": {"address": ticket.requester_address, "name": ticket.requester_name,
                          "evidence": [list(p) for p in ticket.requester_evidence]},
            "contact_address": ticket.contact_address, "received_at": ticket.received_at.isoformat(),
            "deadline": ticket.effective_deadline.isoformat(), "days_left": ticket.days_left(today),
            "delivery_status": ticket.delivery_status, "delivery_error": ticket.delivery_error,
            "original_text": ticket.original_text,
            "mails": [{"kind": m.kind, "to": list(m.recipients), "status": m.status, "message_id": m.message_id,
                       "attempts": m.attempts, "last_error": m.last_error} for m in mails],
            "events": [{"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "detail": dict(e.detail)}
                       for e in events],
        }, ensure_ascii=False, default=str))
        return 0
    deadline = ticket.effective_deadline.isoformat() + (" (extended)" if ticket.extended_deadline else "")
    rows = [
        ("Reference", ticket.reference), ("Status", ticket.status.value), ("Organisation", ticket.org),
        ("Right", f"{ticket.right} (GDPR Art. {ticket.article})"), ("Channel", ticket.channel),
        ("Requester", " / ".join(x for x in (ticket.requester_name, ticket.requester_address) if x) or "-"),
        ("Evidence", ", ".join(f"{k}={v}" for k, v in ticket.requester_evidence) or "-"),
        ("Contact", ticket.contact_address or "- (needs routing)"),
        ("Received", ticket.received_at.isoformat(timespec="seconds")),
        ("Deadline", f"{deadline}, {ticket.days_left(today)} day(s) left" if ticket.is_open else deadline),
        ("Delivery", ticket.delivery_status + (f": {ticket.delivery_error}" if ticket.delivery_error else "")),
    ]
    for label, value in rows:
        print(f"{label + ':':14}{value}")
    print("\nOriginal message:\n" + "\n".join("  " + line for line in ticket.original_text.splitlines()))
    print("\nMails:")
    for m in mails:
        print(f"  {m.kind:8} to {', '.join(m.recipients)}: {m.status} after {m.attempts} attempt(s)"
              + (f" ({m.last_error})" if m.last_error and m.status != "sent" else ""))
    print("\nTimeline:")
    for e in events:
        detail = ", ".join(f"{k}={v}" for k, v in e.detail.items() if k != "text")
        print(f"  {e.at.isoformat(timespec='seconds')}  {e.actor:20} {e.kind}" + (f"  {detail}" if detail else ""))
        if "text" in e.detail and e.kind == "note":
            print(f"      {e.detail['text']}")
    return 0


async def _export(store: Store, args: argparse.Namespace) -> int:
    import sys

    from bot.adapters.store import write_csv

    write_csv(await store.iter_tickets(_query(args)), sys.stdout, today=store.now().date())
    return 0


async def _act(store: Store, args: argparse.Namespace) -> int:
    actor = args.actor or f"cli:{getpass.getuser()}"
    if args.tickets_command == "status":
        ticket = await store.transition(args.reference, args.new_status, actor=actor, reason=args.reason,
                                        duplicate_of=args.duplicate_of)
        print(f"{ticket.reference} is now {ticket.status.value}")
    elif args.tickets_command == "note":
        await store.add_note(args.reference, actor=actor, text=args.text)
        print(f"note added to {args.reference.upper()}")
    else:
        ticket = await store.extend_deadline(args.reference, actor=actor, reason=args.reason)
        print(f"{ticket.reference}: deadline extended to {ticket.effective_deadline.isoformat()}")
    return 0
