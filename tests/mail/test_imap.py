"""The IMAP poller against a real Dovecot (scripts/dovecot): mail appended to a folder, answered, flagged once."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.adapters.mail_in import store_raw
from bot.adapters.mail_in.imap import PROCESSED_KEYWORD, parse_imap_url, run_imap_poller
from bot.adapters.mail_out import run_sender
from bot.adapters.store import Store
from bot.adapters.store.mailbox_lock import MailboxLock
from bot.config import Settings
from bot.errors import ConfigError
from bot.mail_pipeline import MailPipeline, run_pipeline
from bot.service import Service

from .helpers import connect_imap, imap_ca, imap_ssl_context, make_mail, metas, with_folder


async def until(check: Callable[[], Awaitable[bool]], *, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


class Bot:
    """Poller, pipeline and sender as ``serve --all`` runs them; ``stop()`` ends them like a shutdown."""

    def __init__(self, store: Store, service: Service, settings: Settings, *, pipeline: bool = True,
                 use_idle: bool = True, max_fetch_bytes: int | None = None) -> None:
        self.stop_event = asyncio.Event()
        self.tasks = [asyncio.create_task(run_imap_poller(store, service, settings, self.stop_event,
                                                          ssl_context=imap_ssl_context(), poll_seconds=0.5,
                                                          check_seconds=0.1, use_idle=use_idle,
                                                          max_fetch_bytes=max_fetch_bytes))]
        if pipeline:
            self.tasks.append(asyncio.create_task(run_pipeline(store, service, settings, self.stop_event,
                                                               metas=metas(), poll_seconds=0.2)))
            self.tasks.append(asyncio.create_task(run_sender(store, settings, self.stop_event, poll=0.2)))

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(asyncio.gather(*self.tasks), timeout=20)


def flags_of(client: Any, folder: str) -> dict[int, set[bytes]]:
    client.select_folder(folder)
    uids = client.search(["ALL"])
    return {int(u): set(d[b"FLAGS"]) for u, d in client.fetch(uids, ["FLAGS"]).items()} if uids else {}


async def test_mail_in_the_mailbox_is_answered_filed_and_flagged_once(
        store: Store, service: Service, settings: Settings, smtp_server: Any,
        imap_folder: tuple[str, Any]) -> None:
    url, client = imap_folder
    folder = parse_imap_url(url).folder
    settings = replace(settings, imap_url=url)
    client.append(folder, make_mail("How long do you keep my information?", subject="Retention",
                                    message_id="<i1@example.se>"))
    client.append(folder, make_mail("I want a copy of all personal data you hold about me.",
                                    to="privacy@centra.com", sender="bo@example.se", message_id="<i2@example.se>"))
    bot = Bot(store, service, settings)
    try:
        async def all_flagged() -> bool:
            flags = await asyncio.to_thread(flags_of, client, folder)
            return len(flags) == 2 and all(PROCESSED_KEYWORD.encode() in f and b"\\Seen" in f
                                           for f in flags.values())
        await until(all_flagged)
        await until(lambda: _count(smtp_server, 3))  # the answer, the acknowledgement and the forward
    finally:
        await bot.stop()
    rows = await store.list_inbound()
    assert sorted(r.message_id or "" for r in rows) == ["<i1@example.se>", "<i2@example.se>"]
    assert {r.transport for r in rows} == {"imap"} and {r.status for r in rows} == {"done"}
    answer = next(m for m in smtp_server.messages if m.rcpt_tos == ["anna@example.se"]).message
    assert answer["Subject"] == "Re: Retention" and answer["In-Reply-To"] == "<i1@example.se>"
    assert answer["Auto-Submitted"] == "auto-replied"
    ack = next(m for m in smtp_server.messages if m.rcpt_tos == ["bo@example.se"]).message
    assert "[DSR-" in ack["Subject"]
    assert await store.last_beat("imap.last_poll") is not None

    # A restart finds nothing new to do: no second answer, no second ticket.
    bot = Bot(store, service, settings)
    try:
        await asyncio.sleep(2.0)
    finally:
        await bot.stop()
    assert len(await store.list_inbound()) == 2
    assert len(smtp_server.messages) == 3


async def _count(smtp_server: Any, n: int) -> bool:
    return len(smtp_server.messages) >= n


async def test_a_message_is_flagged_only_after_its_outcome_is_committed(
        store: Store, service: Service, settings: Settings, imap_folder: tuple[str, Any]) -> None:
    url, client = imap_folder
    folder = parse_imap_url(url).folder
    settings = replace(settings, imap_url=url)
    client.append(folder, make_mail(message_id="<i3@example.se>"))
    bot = Bot(store, service, settings, pipeline=False)
    try:
        await until(lambda: _stored(store, 1))
        await asyncio.sleep(1.0)
        flags = await asyncio.to_thread(flags_of, client, folder)
        assert all(PROCESSED_KEYWORD.encode() not in f and b"\\Seen" not in f for f in flags.values())
        # Now the outcome is committed (by a pipeline in "another process"): the poller flags it.
        pipeline = MailPipeline(store, service, settings, metas=metas())
        [row] = await store.claim_inbound("elsewhere")
        await pipeline.process(row)

        async def flagged() -> bool:
            return all(PROCESSED_KEYWORD.encode() in f for f in (await asyncio.to_thread(flags_of, client,
                                                                                          folder)).values())
        await until(flagged)
    finally:
        await bot.stop()


async def _stored(store: Store, n: int) -> bool:
    return len(await store.list_inbound()) >= n


async def test_a_crash_between_processing_and_flagging_does_not_process_again(
        store: Store, service: Service, settings: Settings, smtp_server: Any,
        imap_folder: tuple[str, Any]) -> None:
    url, client = imap_folder
    folder = parse_imap_url(url).folder
    settings = replace(settings, imap_url=url)
    raw = make_mail(message_id="<i4@example.se>")
    # Processed and answered by a poller that died before it could set the flag ...
    await store_raw(store, raw, transport="imap")
    [row] = await store.claim_inbound("dead")
    await MailPipeline(store, service, settings, metas=metas()).process(row)
    outbox = await store.list_outbox()
    client.append(folder, raw)
    bot = Bot(store, service, settings)
    try:
        async def flagged() -> bool:
            flags = await asyncio.to_thread(flags_of, client, folder)
            return bool(flags) and all(PROCESSED_KEYWORD.encode() in f for f in flags.values())
        await until(flagged)
    finally:
        await bot.stop()
    assert len(await store.list_inbound()) == 1
    assert len(await store.list_outbox()) == len(outbox)


async def test_implicit_tls_and_reconnect_after_the_server_drops_the_session(
        store: Store, service: Service, settings: Settings, imap_folder: tuple[str, Any]) -> None:
    url, client = imap_folder
    folder = parse_imap_url(url).folder
    ca = imap_ca()
    imaps = with_folder((ca.parent / "imaps_url").read_text().strip(), folder)
    settings = replace(settings, imap_url=imaps)
    bot = Bot(store, service, settings)
    try:
        client.append(folder, make_mail(message_id="<i5@example.se>"))
        await until(lambda: _stored(store, 1))
        # The server ends every session of the user (as on a restart): the poller must come back.
        subprocess.run(["doveadm", "-c", str(ca.parent / "dovecot.conf"), "kick", "bot"], check=True,
                       capture_output=True)
        fresh = connect_imap(url)
        fresh.append(folder, make_mail(message_id="<i6@example.se>"))
        fresh.logout()
        await until(lambda: _stored(store, 2), timeout=30)
    finally:
        await bot.stop()


async def test_only_one_poller_holds_a_mailbox(store: Store) -> None:
    first = MailboxLock(store, "imap:bot@host/INBOX", owner="one")
    second = MailboxLock(store, "imap:bot@host/INBOX", owner="two")
    other_box = MailboxLock(store, "imap:bot@host/Other", owner="two")
    assert await first.acquire()
    assert not await second.acquire()
    assert await other_box.acquire()
    assert await first.held()
    await first.release()
    assert await second.acquire()
    assert not await first.acquire()
    await second.release()
    await other_box.release()


async def test_a_dead_holder_loses_the_mailbox(store: Store, clock: Any) -> None:
    first = MailboxLock(store, "imap:bot@host/INBOX", owner="one")
    second = MailboxLock(store, "imap:bot@host/INBOX", owner="two")
    assert await first.acquire()
    if store.dialect == "postgresql":
        await first._drop()  # the process died: its connection, and with it the advisory lock, is gone
    else:
        clock.advance(minutes=2)  # its lease ran out without renewal
    assert await second.acquire()
    await second.release()


def test_imap_url_is_checked() -> None:
    target = parse_imap_url("imaps://bot%40x.se:p%3Ass@mail.x.se/Privacy%20Inbox")
    assert (target.username, target.password, target.port, target.folder, target.implicit_tls) == (
        "bot@x.se", "p:ss", 993, "Privacy Inbox", True)
    assert parse_imap_url("imap://u:p@127.0.0.1:1143").folder == "INBOX"
    for bad in ("http://u:p@x", "imap://x.se/INBOX"):
        with pytest.raises(ConfigError):
            parse_imap_url(bad)


async def test_polling_without_idle_and_old_mail_left_alone(store: Store, service: Service, settings: Settings,
                                                            smtp_server: Any, imap_folder: tuple[str, Any]) -> None:
    url, client = imap_folder
    folder = parse_imap_url(url).folder
    settings = replace(settings, imap_url=url)
    # Years of history in the shared mailbox from before the bot was set up: never answered.
    client.append(folder, make_mail(message_id="<old@example.se>"), msg_time=datetime(2020, 1, 5, tzinfo=UTC))
    bot = Bot(store, service, settings, use_idle=False)
    try:
        await asyncio.sleep(1.0)
        client.append(folder, make_mail(message_id="<new@example.se>"))

        async def one_flagged() -> bool:
            flags = await asyncio.to_thread(flags_of, client, folder)
            return sum(PROCESSED_KEYWORD.encode() in f for f in flags.values()) == 1
        await until(one_flagged)
        await until(lambda: _count(smtp_server, 1))
        await asyncio.sleep(1.0)
    finally:
        await bot.stop()
    assert [r.message_id for r in await store.list_inbound()] == ["<new@example.se>"]
    flags = await asyncio.to_thread(flags_of, client, folder)
    assert sorted(PROCESSED_KEYWORD.encode() in f for f in flags.values()) == [False, True]
    assert len(smtp_server.messages) == 1


async def test_two_bot_processes_one_poller_acts(store: Store, service: Service, settings: Settings,
                                                 smtp_server: Any, imap_folder: tuple[str, Any],
                                                 caplog: pytest.LogCaptureFixture) -> None:
    url, client = imap_folder
    folder = parse_imap_url(url).folder
    settings = replace(settings, imap_url=url)
    caplog.set_level("INFO", logger="bot.adapters.mail_in.imap")
    first, second = Bot(store, service, settings), Bot(store, service, settings, pipeline=False)
    try:
        for i in range(3):
            client.append(folder, make_mail(sender=f"p{i}@example.se", message_id=f"<two{i}@example.se>"))
        await until(lambda: _count(smtp_server, 3))
        await asyncio.sleep(1.0)
    finally:
        await first.stop()
        await second.stop()
    connected = [r for r in caplog.records if r.getMessage().startswith("IMAP connected")]
    standing_by = [r for r in caplog.records if "standing by" in r.getMessage()]
    assert len(connected) == 1 and len(standing_by) == 1
    assert len(await store.list_inbound()) == 3 and len(smtp_server.messages) == 3


async def test_a_giant_is_stored_by_its_header_and_gets_the_size_reply(
        store: Store, service: Service, settings: Settings, smtp_server: Any,
        imap_folder: tuple[str, Any]) -> None:
    url, client = imap_folder
    folder = parse_imap_url(url).folder
    settings = replace(settings, imap_url=url, max_mail_bytes=2048)
    giant = make_mail("A question. " + "x" * 70 + "\n" + ("y" * 76 + "\n") * 2000, subject="Huge",
                      message_id="<giant@example.se>")
    client.append(folder, giant)
    bot = Bot(store, service, settings, max_fetch_bytes=20_000)
    try:
        await until(lambda: _count(smtp_server, 1))
    finally:
        await bot.stop()
    [row] = await store.list_inbound()
    assert row.size < 20_000 < len(giant) and row.raw.startswith(b"X-Privacy-Bot-Truncated: ")
    assert row.outcome is not None and row.outcome["action"] == "oversized"
    reply = smtp_server.messages[0].message
    assert reply["Subject"] == "Re: Huge" and reply["In-Reply-To"] == "<giant@example.se>"
    assert "Your message was 153 kB, larger than the 2 kB" in reply.get_body(("plain",)).get_content()
    client.select_folder(folder)
    assert len(client.search(["ALL"])) == 1  # the whole message is still in the mailbox
