"""``python -m bot submit|tickets|outbox|migrate`` as real processes against a real database and SMTP server."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sys
from pathlib import Path

from conftest import SmtpRecorder

ROOT = Path(__file__).resolve().parents[2]
REQUEST = "I want a copy of all personal data you hold about me."


async def bot(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def environment(tmp_path: Path, database_url: str, smtp_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SMTP_URL", "DATABASE_URL", "DATA_DIR", "MAIL_FROM")}
    env.update(DATA_DIR=str(tmp_path / "data"), DATABASE_URL=database_url, MAIL_FROM="bot@privacy.test",
               PYTHONPATH=str(ROOT))
    if smtp_url:
        env["SMTP_URL"] = smtp_url
    return env


async def test_submit_files_sends_and_staff_can_list_show_and_export(
        store_url: str, smtp_server: SmtpRecorder, tmp_path: Path) -> None:
    env = environment(tmp_path, store_url, smtp_server.url)
    rc, out, err = await bot("migrate", env=env)
    assert rc == 0 and "0001_initial" in out, err
    rc, out, err = await bot("submit", "--org", "centra", "--from", "anna@example.se", "--name", "Anna", REQUEST,
                             env=env)
    assert rc == 0, err
    outcome = json.loads(out)
    reference = outcome["ticket"]["reference"]
    assert reference == "DSR-2026-00001" or reference.startswith("DSR-")
    assert outcome["ticket"]["duplicate"] is False and outcome["request"]["right"] == "access"
    rc, ask_out, err = await bot("ask", "--json", "--org", "centra", REQUEST, env=env)
    assert rc == 0, err
    assert {k: v for k, v in outcome.items() if k != "ticket"} == json.loads(ask_out)
    # submit delivered the forward and the acknowledgement at once.
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages)[0] == "anna@example.se"
    assert len(smtp_server.messages) == 2
    assert all(f"[{reference}]" in m.message["Subject"] for m in smtp_server.messages)

    rc, out, err = await bot("submit", "--org", "centra", "--from", "anna@example.se", REQUEST, env=env)
    assert rc == 0 and json.loads(out)["ticket"] == {**outcome["ticket"], "duplicate": True}, err
    assert len(smtp_server.messages) == 2

    rc, out, _ = await bot("tickets", "list", env=env)
    assert rc == 0 and reference in out and "forwarded" in out and "1 ticket(s)" in out
    rc, out, _ = await bot("tickets", "show", reference.lower(), env=env)
    assert rc == 0 and "Timeline:" in out and REQUEST in out and "duplicate_request" in out
    rc, out, _ = await bot("tickets", "show", reference, "--json", env=env)
    shown = json.loads(out)
    assert shown["status"] == "forwarded" and [m["status"] for m in shown["mails"]] == ["sent", "sent"]
    rc, out, _ = await bot("tickets", "export", "--format", "csv", env=env)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rc == 0 and [r["reference"] for r in rows] == [reference] and rows[0]["article"] == "15"

    rc, out, err = await bot("tickets", "status", reference, "new", env=env)
    assert rc == 2 and "cannot become new" in err
    rc, out, err = await bot("tickets", "status", reference, "refused", env=env)
    assert rc == 2 and "reason" in err
    rc, out, err = await bot("tickets", "status", reference, "completed", "--actor", "dpo@privacy.test", env=env)
    assert rc == 0 and "completed" in out
    rc, out, err = await bot("tickets", "show", "DSR-2026-99999", env=env)
    assert rc == 2 and "no ticket" in err


async def test_outbox_send_retries_now_whatever_the_backoff(store_url: str, free_port: int, tmp_path: Path) -> None:
    down = environment(tmp_path, store_url, f"smtp://127.0.0.1:{free_port}")
    rc, out, err = await bot("submit", "--org", "centra", "--from", "anna@example.se", REQUEST, env=down)
    assert rc == 0 and "2 to retry" in err
    rc, out, _ = await bot("outbox", "send", env=down)
    assert rc == 1 and "sent 0" in out and "will retry 2" in out
    server = SmtpRecorder(port=free_port)
    await server.start()
    try:
        rc, out, _ = await bot("outbox", "send", env=down)  # the backoff has not passed: sent anyway
        assert rc == 0 and "sent 2" in out
        assert len(server.messages) == 2
        rc, out, _ = await bot("outbox", "status", env=down)
        assert rc == 0 and "sent     2" in out and "pending  0" in out
    finally:
        await server.stop()


async def test_without_smtp_submit_writes_eml_files(sqlite_url: str, tmp_path: Path) -> None:
    env = environment(tmp_path, sqlite_url, None)
    rc, out, err = await bot("submit", "--org", "centra", "--from", "anna@example.se", REQUEST, env=env)
    assert rc == 0 and str(tmp_path / "data" / "outbox") in err
    files = sorted((tmp_path / "data" / "outbox").glob("*.eml"))
    assert len(files) == 2 and all(json.loads(out)["ticket"]["reference"] in f.name for f in files)


