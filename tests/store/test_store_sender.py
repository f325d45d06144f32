"""The outbox sender against a real loopback SMTP server: outages, refusals, kills, .eml fallback."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from conftest import FakeClock, SmtpRecorder

from bot.adapters.mail_out import eml_path, run_sender, send_once
from bot.adapters.store import Store
from bot.config import Settings
from bot.core.tickets import Status
from bot.filing import TicketFiler

from .helpers import ORGS, email_inquiry, request_answer

ROOT = Path(__file__).resolve().parents[2]


def settings(url: str | None, tmp_path: Path) -> Settings:
    return Settings(smtp_url=url, mail_from="bot@privacy.test", data_dir=tmp_path)


async def file_some(store: Any, clock: Any, n: int) -> list[str]:
    filer = TicketFiler(store, mail_from="bot@privacy.test", orgs=ORGS)
    refs = []
    for i in range(n):
        filed = await filer.file_request(email_inquiry(sender=f"p{i}@example.se", message_id=f"<m{i}@x>"),
                                         request_answer(), received_at=clock())
        refs.append(filed.reference)
    return refs


def message_ids(server: SmtpRecorder) -> list[str]:
    return [m.message["Message-ID"] for m in server.messages]


async def test_smtp_down_then_back_delivers_every_message_exactly_once(
        store: Any, clock: Any, free_port: int, tmp_path: Path) -> None:
    refs = await file_some(store, clock, 3)
    url = f"smtp://127.0.0.1:{free_port}"
    for _ in range(2):
        report = await send_once(store, settings(url, tmp_path))
        assert (report.sent, report.retry, report.failed) == (0, 6, 0)
        assert "cannot reach SMTP server" in report.errors[0]
    ticket = await store.get_ticket(refs[0])
    assert ticket.status is Status.NEW and ticket.delivery_status == "retrying"
    rows = await store.list_outbox()
    assert {r.status for r in rows} == {"pending"} and all(r.attempts == 2 for r in rows)
    assert all(r.next_attempt_at == clock() + timedelta(minutes=1) for r in rows)  # 30 s, then 1 min
    server = SmtpRecorder(port=free_port)
    await server.start()
    try:
        assert (await send_once(store, settings(url, tmp_path))).sent == 6
        assert (await send_once(store, settings(url, tmp_path))).sent == 0
        ids = message_ids(server)
        assert len(ids) == 6 and len(set(ids)) == 6
        assert sorted(ids) == sorted(r.message_id for r in rows)
        assert [(await store.get_ticket(r)).status for r in refs] == [Status.FORWARDED] * 3
    finally:
        await server.stop()


async def test_the_running_sender_backs_off_and_delivers_when_the_server_returns(
        store: Any, clock: Any, free_port: int, tmp_path: Path) -> None:
    await file_some(store, clock, 2)
    stop = asyncio.Event()
    task = asyncio.create_task(run_sender(store, settings(f"smtp://127.0.0.1:{free_port}", tmp_path), stop,
                                          poll=0.05))
    server = SmtpRecorder(port=free_port)
    try:
        await until(lambda: all_attempted(store))
        assert {r.status for r in await store.list_outbox()} == {"pending"}  # waiting out the backoff
        await server.start()
        await asyncio.sleep(0.3)
        assert server.messages == []  # not before the backoff has passed
        clock.advance(seconds=31)
        await until(lambda: all_sent(store))
        assert len(set(message_ids(server))) == 4 == len(server.messages)
        assert await store.last_beat("outbox.sender") is not None
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
        await server.stop()


async def test_a_550_fails_the_forward_visibly_and_a_451_is_retried(
        store: Any, clock: Any, smtp_server: SmtpRecorder, tmp_path: Path) -> None:
    [ref] = await file_some(store, clock, 1)
    smtp_server.rcpt_replies["privacy@centra.com"] = "550 5.1.1 <privacy@centra.com>: no such user"
    report = await send_once(store, settings(smtp_server.url, tmp_path))
    assert (report.sent, report.retry, report.failed) == (1, 0, 1)
    ticket = await store.get_ticket(ref)
    assert ticket.status is Status.FAILED and ticket.delivery_status == "failed"
    assert "550" in (ticket.delivery_error or "")
    failed = [e for e in await store.events(ref) if e.kind == "delivery_failed"]
    assert failed and failed[0].detail["mail"] == "forward" and "550" in failed[0].detail["error"]
    assert (await send_once(store, settings(smtp_server.url, tmp_path))).sent == 0  # failed stays failed

    refs = await file_some(store, clock, 2)  # p0 repeats the failed (still open) ticket: a duplicate
    assert refs[0] == ref and refs[1] != ref
    ref2 = refs[1]
    smtp_server.rcpt_replies.clear()
    smtp_server.data_reply = "451 4.3.0 Try again later"
    report = await send_once(store, settings(smtp_server.url, tmp_path))
    assert (report.sent, report.retry, report.failed) == (0, 2, 0)
    assert (await store.get_ticket(ref2)).status is Status.NEW
    smtp_server.data_reply = None
    assert (await send_once(store, settings(smtp_server.url, tmp_path))).failed == 0
    assert (await store.get_ticket(ref2)).status is Status.FORWARDED


_KILLED_SENDER = """
import asyncio, sys
from datetime import timedelta
from bot.adapters.store import Store

async def main() -> None:
    store = await Store.open(sys.argv[1], run_migrations=False)
    rows = await store.claim_outbox("doomed", lease=timedelta(seconds=60))
    print(len(rows), flush=True)
    await asyncio.sleep(3600)  # killed here: between claim and send

asyncio.run(main())
"""


async def test_a_sender_killed_between_claim_and_send_is_covered_after_the_lease(
        store_url: str, smtp_server: SmtpRecorder, tmp_path: Path) -> None:
    clock = FakeClock(datetime.now(UTC))  # the killed process uses the real clock
    store = await Store.open(store_url, clock=clock)
    try:
        await file_some(store, clock, 2)
        proc = subprocess.Popen([sys.executable, "-c", _KILLED_SENDER, store_url], stdout=subprocess.PIPE,
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.stdout is not None
        try:
            line = await asyncio.to_thread(proc.stdout.readline)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            proc.stdout.close()
        assert line.strip() == b"4"
        assert proc.returncode == -signal.SIGKILL
        # Still leased to the dead sender: nobody sends it yet (that could send it twice).
        assert (await send_once(store, settings(smtp_server.url, tmp_path))).sent == 0
        assert {r.claimed_by for r in await store.list_outbox()} == {"doomed"}
        clock.now = datetime.now(UTC) + timedelta(seconds=61)  # the lease (60 s from the claim) has run out
        assert (await send_once(store, settings(smtp_server.url, tmp_path))).sent == 4
        assert len(set(message_ids(smtp_server))) == 4 == len(smtp_server.messages)
    finally:
        await store.close()


async def test_without_smtp_mail_becomes_eml_files_and_the_log_says_where(
        store: Any, clock: Any, tmp_path: Path, caplog: Any) -> None:
    [ref] = await file_some(store, clock, 1)
    caplog.set_level(logging.INFO, logger="bot.adapters.mail_out")
    report = await send_once(store, settings(None, tmp_path))
    assert report.sent == 2
    for row in await store.outbox_for_ticket(ref):
        path = eml_path(tmp_path / "outbox", row.message_id)
        assert path.read_bytes() == row.raw and row.status == "sent"
        assert str(path) in caplog.text
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert msg["Message-ID"] == row.message_id and f"[{ref}]" in msg["Subject"]
    assert "anna" not in caplog.text and "p0@example.se" not in caplog.text
    assert (await store.get_ticket(ref)).status is Status.FORWARDED


async def test_two_senders_on_one_database_never_send_twice(
        store_url: str, clock: Any, smtp_server: SmtpRecorder, tmp_path: Path) -> None:
    one = await Store.open(store_url, clock=clock)
    two = await Store.open(store_url, clock=clock, run_migrations=False)
    try:
        await file_some(one, clock, 30)
        stops = [asyncio.Event(), asyncio.Event()]
        tasks = [asyncio.create_task(run_sender(s, settings(smtp_server.url, tmp_path), stop, poll=0.02))
                 for s, stop in zip((one, two), stops, strict=True)]
        await until(lambda: all_sent(one), timeout=30)
        for stop in stops:
            stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
        ids = message_ids(smtp_server)
        assert len(ids) == 60 and len(set(ids)) == 60
    finally:
        await one.close()
        await two.close()


async def test_stopping_the_sender_hands_back_its_claims(store: Any, clock: Any, tmp_path: Path) -> None:
    await file_some(store, clock, 1)
    claimed = await store.claim_outbox("me")
    assert len(claimed) == 2
    assert await store.release_claims("me") == 2
    assert [r.claimed_by for r in await store.claim_outbox("other")] == ["other", "other"]


async def all_attempted(store: Any) -> bool:
    rows = await store.list_outbox()
    return bool(rows) and all(r.attempts >= 1 and r.status == "pending" for r in rows)


async def all_sent(store: Any) -> bool:
    rows = await store.list_outbox()
    return bool(rows) and all(r.status == "sent" for r in rows)


async def until(predicate: Any, *, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def test_stop_mid_batch_hands_back_the_unsent_rest(store: Any, clock: Any, tmp_path: Path) -> None:
    await file_some(store, clock, 3)
    stop = asyncio.Event()

    class StopAfterFirst(SmtpRecorder):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            reply = await super().handle_DATA(server, session, envelope)
            stop.set()  # SIGTERM arrives while the batch is being sent
            return reply

    server = StopAfterFirst()
    await server.start()
    try:
        await asyncio.wait_for(run_sender(store, settings(server.url, tmp_path), stop, connections=1), 10)
    finally:
        await server.stop()
    rows = await store.list_outbox()
    assert len(server.messages) == 1 == sum(r.status == "sent" for r in rows)
    assert all(r.status == "pending" and r.claimed_by is None for r in rows if r.status != "sent")
    assert (await send_once(store, settings(None, tmp_path))).sent == 5


async def test_logs_name_no_addresses_even_when_the_server_quotes_them(
        store: Any, clock: Any, smtp_server: SmtpRecorder, tmp_path: Path, caplog: Any) -> None:
    await file_some(store, clock, 1)
    smtp_server.rcpt_replies["p0@example.se"] = "450 4.2.1 <p0@example.se>: mailbox busy, try later"
    smtp_server.rcpt_replies["privacy@centra.com"] = "550 5.1.1 <privacy@centra.com>: no such user"
    caplog.set_level(logging.DEBUG, logger="bot")
    report = await send_once(store, settings(smtp_server.url, tmp_path))
    assert (report.retry, report.failed) == (1, 1)
    info = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "outbox" in info and "@" not in info


async def test_after_three_days_of_outage_the_forward_fails_visibly(
        store: Any, clock: Any, free_port: int, tmp_path: Path) -> None:
    [ref] = await file_some(store, clock, 1)
    url = f"smtp://127.0.0.1:{free_port}"
    assert (await send_once(store, settings(url, tmp_path))).retry == 2
    clock.advance(days=2, hours=23)
    assert (await send_once(store, settings(url, tmp_path))).retry == 2  # still within the queue lifetime
    clock.advance(hours=1, seconds=1)
    report = await send_once(store, settings(url, tmp_path))
    assert (report.retry, report.failed) == (0, 2)
    ticket = await store.get_ticket(ref)
    assert ticket.status is Status.FAILED and "cannot reach SMTP server" in (ticket.delivery_error or "")


async def test_cancelling_the_sender_mid_send_ends_at_once_and_hands_back(
        store: Any, clock: Any, tmp_path: Path) -> None:
    await file_some(store, clock, 2)
    stalled = asyncio.Event()

    class Stalling(SmtpRecorder):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            stalled.set()
            await asyncio.sleep(60)  # a server that never answers DATA
            return "250 OK"

    server = Stalling()
    await server.start()
    task = asyncio.create_task(run_sender(store, settings(server.url, tmp_path), asyncio.Event(), connections=1))
    try:
        await asyncio.wait_for(stalled.wait(), 10)
        started = asyncio.get_running_loop().time()
        task.cancel()
        await asyncio.wait([task], timeout=8)
        assert task.done() and asyncio.get_running_loop().time() - started < 6
        rows = await store.list_outbox()
        assert {r.status for r in rows} == {"pending"} and {r.claimed_by for r in rows} == {None}
    finally:
        task.cancel()
        await server.stop()
