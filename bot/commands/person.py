"""``python -m bot person export|erase EMAIL_OR_SLACK_USER``: everything held about one person, as JSON or gone."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from bot.adapters.store.person import Subject


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("person", help="export or erase everything held about one person")
    actions = parser.add_subparsers(dest="person_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="print a JSON document of tickets, mails, raw mail and audit entries")
    export.add_argument("subject", metavar="EMAIL_OR_SLACK_USER")
    export.add_argument("--output", "-o", help="write the JSON to this file instead of standard output")
    erase = actions.add_parser("erase", help="erase it all (audited; tickets keep their anonymous statistics)")
    erase.add_argument("subject", metavar="EMAIL_OR_SLACK_USER")
    erase.add_argument("--yes", action="store_true", help="really erase (without it, only show what would go)")
    erase.add_argument("--actor", default="cli", help="who asked, for the audit entry (default: cli)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.adapters.store.person import parse_subject
    from bot.runtime import load_settings

    subject = parse_subject(args.subject)
    settings = load_settings()
    if args.person_command == "export":
        return asyncio.run(_export(settings.effective_database_url, subject, args.output))
    return asyncio.run(_erase(settings.effective_database_url, subject, yes=args.yes, actor=args.actor,
                              outbox_dir=settings.outbox_dir))


async def _export(url: str, subject: Subject, output: str | None) -> int:
    import json
    import os
    import sys

    from bot.adapters.store import Store
    from bot.adapters.store.person import export_person

    store = await Store.open(url)
    try:
        document = await export_person(store, subject)
    finally:
        await store.close()
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output:
        # Personal data: readable by the owner only.
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        print(f"wrote {len(document['tickets'])} ticket(s), {len(document['mails'])} other mail(s), "
              f"{len(document['inbound_mail'])} other inbound message(s) to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


async def _erase(url: str, subject: Subject, *, yes: bool, actor: str, outbox_dir: Path) -> int:
    from bot.adapters.eml_files import remove_eml_copies
    from bot.adapters.store import Store
    from bot.adapters.store.person import erase_person, find_holdings

    store = await Store.open(url)
    try:
        if not yes:
            found = await find_holdings(store, subject)
            refs = ", ".join(tk.reference for tk in found.tickets) or "none"
            print(f"would erase: tickets {refs}; {len(found.outbox)} other mail(s), {len(found.inbound)} other "
                  f"inbound message(s), {len(found.state)} conversation state entr(ies). Add --yes to erase.")
            return 1
        summary = await erase_person(store, subject, actor=actor.strip()[:200] or "cli")
    finally:
        await store.close()
    removed = remove_eml_copies(outbox_dir, summary.message_ids)
    refs = ", ".join(summary.tickets) or "none"
    print(f"erased: tickets {refs}; {summary.outbox} other mail(s), {summary.inbound} other inbound message(s), "
          f"{summary.state} conversation state entr(ies)" + (f"; {removed} .eml copy(ies)" if removed else ""))
    return 0
