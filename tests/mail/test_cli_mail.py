"""``python -m bot mail``: receive from a pipe, process, list the quarantine, show raw, retry."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest

from bot.commands import mail
from bot.errors import InvalidInput

from .helpers import make_mail


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    mail.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["mail", *argv])
    result: int = args.func(args)
    return result


class Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_receive_process_list_show_and_retry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SMTP_URL", raising=False)
    question = tmp_path / "q.eml"
    question.write_bytes(make_mail("How long do you keep my information?", message_id="<cli1@example.se>"))
    assert run(["receive", str(question)]) == 0
    assert "queued as 1" in capsys.readouterr().out
    assert run(["receive", str(question)]) == 0
    assert "already queued as 1" in capsys.readouterr().out
    junk = b"\x00\x01 not mail at all"
    monkeypatch.setattr(sys, "stdin", Stdin(junk))
    assert run(["receive"]) == 0
    capsys.readouterr()

    assert run(["process"]) == 0
    out = capsys.readouterr().out
    assert "1 answered" in out and "1 quarantined" in out

    assert run(["list", "--status", "quarantined"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].split()[0] == "2" and "quarantined" in lines[1]

    stdout = io.BytesIO()
    wrapper = io.TextIOWrapper(stdout)
    monkeypatch.setattr(sys, "stdout", wrapper)
    assert run(["show", "2", "--raw"]) == 0
    wrapper.flush()
    assert stdout.getvalue() == junk
    monkeypatch.undo()

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert run(["retry", "2"]) == 0
    capsys.readouterr()
    with pytest.raises(InvalidInput):
        run(["retry", "1"])  # answered mail is not processed twice
    assert run(["list", "--status", "new"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[0] == "2"


def test_show_unknown_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(InvalidInput):
        run(["show", "99"])
