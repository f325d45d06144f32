"""``python -m bot ask``: a dry run of exactly what the bot would reply, as text, JSON or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from bot.errors import BotError, InvalidInput


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("ask", help="answer a question (nothing is filed or sent)")
    parser.add_argument("text", nargs="?", help="the question or request")
    parser.add_argument("--org", help="organisation id (default: the one the text names, or the only one)")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    output.add_argument("--jsonl", action="store_true",
                        help='read {"text": ..., "org": ...} per line on stdin, write one JSON answer per line')
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.runtime import build_assistant, load_settings

    if args.jsonl and args.text is not None:
        raise InvalidInput("--jsonl reads questions from standard input; give no TEXT")
    if not args.jsonl and (args.text is None or not args.text.strip()):
        raise InvalidInput("the question is empty; usage: python -m bot ask [--org ID] TEXT")
    settings = load_settings(knowledge=args.knowledge)
    assistant = build_assistant(settings.knowledge_dir)
    if args.jsonl:
        return _answer_lines(assistant, sys.stdin, sys.stdout, default_org=args.org)
    answer = assistant.respond(args.text, org=args.org)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(answer.reply)
    return 0


def _answer_lines(assistant: Any, source: TextIO, sink: TextIO, *, default_org: str | None) -> int:
    """One JSON answer per input line, in order; a bad line gets an error object and the rest go on."""
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise InvalidInput('each line must be a JSON object like {"text": "...", "org": null}')
            text = item.get("text")
            org = item.get("org", default_org)
            if not isinstance(text, str) or not text.strip():
                raise InvalidInput('"text" must be a non-empty string')
            if org is not None and not isinstance(org, str):
                raise InvalidInput('"org" must be an organisation id or null')
            result: dict[str, object] = assistant.respond(text, org=org).to_json()
        except json.JSONDecodeError as exc:
            result = {"error": f"line {number}: malformed JSON ({exc.msg})", "line": number}
        except BotError as exc:
            result = {"error": f"line {number}: {exc}", "line": number}
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
        sink.flush()
    return 0
