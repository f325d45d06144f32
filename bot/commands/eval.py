"""``python -m bot eval``: run the golden table through the assistant ``ask`` uses and print the figures."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from bot.errors import BotError, InvalidInput

logger = logging.getLogger(__name__)

DEFAULT_GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "data" / "golden.jsonl"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval", help="score the bot on a golden table (hit@1, hit@3, abstention, requests, false requests)")
    parser.add_argument("--golden", metavar="FILE", type=Path, default=None,
                        help=f"golden table, one JSON object per line (default: {DEFAULT_GOLDEN})")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)")
    parser.add_argument("--verbose", "-v", action="store_true", help="also list every failing row")
    parser.add_argument("--json", action="store_true", help="print the report (with failures) as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.core.evaluation import format_report, parse_golden, score
    from bot.runtime import build_assistant, load_settings

    golden: Path = args.golden or DEFAULT_GOLDEN
    try:
        text = golden.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the golden table {golden}: {exc}") from None
    try:
        rows = parse_golden(text.splitlines(), source=str(golden))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if not rows:
        raise InvalidInput(f"the golden table {golden} has no rows")
    settings = load_settings(knowledge=args.knowledge)
    assistant = build_assistant(settings.knowledge_dir)
    answers: list[dict[str, object]] = []
    for row in rows:
        try:
            answers.append(assistant.respond(row.text, org=row.org).to_json())
        except BotError as exc:  # one bad row (e.g. an unknown org id) must not hide the others' figures
            logger.debug("golden row %s failed: %s", row.id, exc)
            answers.append({"error": str(exc)})
    report = score(rows, answers)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0
