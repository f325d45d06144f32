"""The command line: ``python -m bot COMMAND``; each command lives in ``bot.commands``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.errors import BotError

# Each module registers its own sub-commands; imported lazily so ``ask`` stays fast to start.
COMMAND_MODULES = (
    "bot.commands.ask",
    "bot.commands.serve",
    "bot.commands.check",
    "bot.commands.staff",
    "bot.commands.eval",
    "bot.commands.submit",
    "bot.commands.tickets",
    "bot.commands.outbox",
    "bot.commands.migrate",
    "bot.commands.mail",
    "bot.commands.purge",
    "bot.commands.person",
    "bot.commands.doctor",
    "bot.commands.reminders",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result
