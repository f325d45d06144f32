"""``python -m bot staff ...``: accounts created from the command line, passwords from standard input."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.store import Store
from bot.adapters.store.staff_queries import StaffQueries
from bot.adapters.web.staff.passwords import verify_password
from bot.commands import staff
from bot.errors import InvalidInput


def run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    parser = argparse.ArgumentParser()
    staff.register(parser.add_subparsers())
    args = parser.parse_args(["staff", *argv])
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    result: int = args.func(args)
    return result


async def _account(url: str, email: str) -> Any:
    store = await Store.open(url)
    try:
        return await StaffQueries(store.engine).staff_by_email(email)
    finally:
        await store.close()


def test_staff_add_reads_the_password_from_stdin_and_stores_an_argon2_hash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert run(["add", "Alice@Example.org", "--name", "Alice Andersson"], "a long enough secret\n", monkeypatch) == 0
    assert "added staff account alice@example.org" in capsys.readouterr().out
    url = f"sqlite:///{tmp_path / 'data' / 'privacy-bot.sqlite3'}"
    account = asyncio.run(_account(url, "alice@example.org"))
    assert account.name == "Alice Andersson" and account.password_hash.startswith("$argon2id$")
    assert verify_password(account.password_hash, "a long enough secret")
    assert not verify_password(account.password_hash, "a long enough secret\n")
    with pytest.raises(InvalidInput, match="exists already"):
        run(["add", "alice@example.org"], "another long secret\n", monkeypatch)
    assert run(["passwd", "alice@example.org"], "the new long secret\n", monkeypatch) == 0
    assert verify_password(asyncio.run(_account(url, "alice@example.org")).password_hash, "the new long secret")
    assert run(["disable", "alice@example.org"], "", monkeypatch) == 0
    assert run(["list"], "", monkeypatch) == 0
    assert "alice@example.org\tAlice Andersson (disabled)" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "stdin", "message"), [
    (["add", "alice@example.org"], "", "no password on standard input"),
    (["add", "alice@example.org"], "short\n", "at least 10 characters"),
    (["add", "not an address"], "a long enough secret\n", "not a plain e-mail address"),
])
def test_staff_add_refuses_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str,
                                     message: str) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(InvalidInput, match=message):
        run(argv, stdin, monkeypatch)


def test_python_m_bot_staff_add_from_the_shell(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "bot", "staff", "add", "carl@example.org", "--name", "Carl"],
                          input="a password from a pipe\n", capture_output=True, text=True, env=env, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert "added staff account carl@example.org" in done.stdout
    again = subprocess.run([sys.executable, "-m", "bot", "staff", "add", "carl@example.org"], input="x" * 12 + "\n",
                           capture_output=True, text=True, env=env, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert again.returncode == 2 and "exists already" in again.stderr and "Traceback" not in again.stderr
