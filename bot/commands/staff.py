"""``python -m bot staff add|passwd|disable|enable|list``: staff accounts for the web pages."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TextIO

from bot.errors import InvalidInput


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("staff", help="manage staff accounts for the /staff/ pages")
    actions = parser.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account; the password is read from standard input")
    add.add_argument("email")
    add.add_argument("--name", default="", help="the name shown in the audit log (default: the address)")
    passwd = actions.add_parser("passwd", help="set a new password, read from standard input")
    passwd.add_argument("email")
    for name, text in (("disable", "stop an account from signing in"), ("enable", "let it sign in again")):
        actions.add_parser(name, help=text).add_argument("email")
    actions.add_parser("list", help="list the accounts")
    parser.set_defaults(func=run)


def read_password(stdin: TextIO, *, prompt: bool) -> str:
    """From a terminal: asked twice, not echoed. Otherwise the first line of standard input."""
    if prompt:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat the password: "):
            raise InvalidInput("the passwords do not match")
        return first
    line = stdin.readline()
    if not line:
        raise InvalidInput("no password on standard input; e.g. echo \"$PASSWORD\" | python -m bot staff add EMAIL")
    return line.rstrip("\r\n")


def _check_email(email: str) -> str:
    from bot.adapters.web.staff.actions import ACTIONS, check_input

    try:
        return check_input(ACTIONS["route"], email, reference="").lower()
    except ValueError:
        raise InvalidInput(f"not a plain e-mail address: {email[:100]!r}") from None


def run(args: argparse.Namespace) -> int:
    import asyncio  # not at the top: every command's parser is built on ``ask``'s cold path

    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.adapters.store import Store
    from bot.adapters.store.staff_queries import StaffQueries
    from bot.adapters.web.staff.passwords import hash_password
    from bot.config import Settings

    settings = Settings.from_env(os.environ)
    email = _check_email(args.email) if args.staff_command != "list" else ""
    password_hash = ""
    if args.staff_command in ("add", "passwd"):
        password_hash = hash_password(read_password(sys.stdin, prompt=sys.stdin.isatty()))
    store = await Store.open(settings.effective_database_url)
    try:
        staff = StaffQueries(store.engine)
        match args.staff_command:
            case "add":
                account = await staff.add_staff(email=email, name=args.name, password_hash=password_hash,
                                                at=datetime.now(UTC))
                print(f"added staff account {account.email}; sign in at /staff/login")
            case "passwd":
                await staff.set_staff_password(email, password_hash)
                print(f"password changed for {email}")
            case "disable" | "enable":
                await staff.set_staff_disabled(email, args.staff_command == "disable")
                print(f"{email} {args.staff_command}d")
            case "list":
                for account in await staff.list_staff():
                    state = " (disabled)" if account.disabled else ""
                    print(f"{account.email}\t{account.name}{state}")
    finally:
        await store.close()
    return 0
