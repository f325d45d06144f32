"""``python -m bot doctor``: check the configuration and reach each configured service, one line per item."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check the configuration and reach the database, SMTP, IMAP and Slack (sends nothing)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import logging
    import os

    from bot.doctor import diagnose, exit_code

    # Library chatter would interleave with the report; failures are in the report's own lines.
    logging.basicConfig(level=logging.CRITICAL)
    findings = asyncio.run(diagnose(dict(os.environ)))
    for finding in findings:
        print(finding.line())
    code = exit_code(findings)
    print("all configured services work" if code == 0 else "something configured does not work (see FAILED above)")
    return code
