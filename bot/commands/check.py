"""``python -m bot check``: validate a knowledge folder and print located problems."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("check", help="validate the knowledge folder (file:line: problem)")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from bot.adapters.knowledge_files import check_folder, policy_files
    from bot.config import Settings

    folder = Path(args.knowledge).expanduser() if args.knowledge else Settings.from_env(os.environ).knowledge_dir
    problems = check_folder(folder)
    for problem in problems:
        print(problem)
    if problems:
        files = {problem.path for problem in problems}
        print(f"{len(problems)} problem(s) in {len(files)} file(s) under {folder}")
        return 1
    print(f"{folder}: {len(policy_files(folder))} policies, no problems")
    return 0
