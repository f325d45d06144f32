"""``python -m bot ask`` stays light: Slack, database, web and SMTP libraries are never imported on its path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# bench/coldstart.py prints the same list for its figures.
FORBIDDEN = ("slack_bolt", "slack_sdk", "sqlalchemy", "aiohttp", "jinja2", "aiosmtplib", "aiosmtpd", "asyncpg",
             "alembic", "asyncio")
# Runs the real CLI entry point in a fresh interpreter, then reports what got imported.
WRAPPER = """
import contextlib, io, json, sys
from bot.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "answer": out.getvalue(), "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("argv", [
    ["ask", "How long do you keep my data?", "--org", "infentre"],
    ["ask", "--json", "Hej! Radera alla mina personuppgifter hos Centiro, tack."],
])
def test_ask_imports_no_channel_or_database_library(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["code"] == 0 and report["answer"].strip()  # it really answered
    roots = {name.split(".")[0] for name in report["modules"]}
    assert "bot" in roots and "bot.core.assistant" in report["modules"]
    assert sorted(roots.intersection(FORBIDDEN)) == []
