"""The SMTP listener with aiosmtplib as the sending client: stored before 250, 451 when it cannot store."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.mail_in.listener import ListenerHandle, start_listener
from bot.adapters.store import Store
from bot.config import Settings
from bot.mail_pipeline import run_pipeline
from bot.service import Service

from .helpers import make_mail, metas


@pytest.fixture
async def listener(store: Store, settings: Settings) -> AsyncIterator[ListenerHandle]:
    handle = await start_listener(store, settings, listen="127.0.0.1:0")
    yield handle
    await handle.stop()


async def send(handle: ListenerHandle, raw: bytes, *, sender: str = "anna@example.se",
               to: tuple[str, ...] = ("privacy@infentre.com",)) -> str:
    errors, response = await aiosmtplib.send(raw, sender=sender, recipients=list(to), hostname=handle.host,
                                             port=handle.port, start_tls=False, timeout=30)
    assert errors == {}
    assert response.startswith("2.0.0 OK"), response
    return response


async def test_a_message_is_stored_before_250_is_answered(store: Store, listener: ListenerHandle) -> None:
    raw = make_mail(message_id="<l1@example.se>")
    response = await send(listener, raw)
    assert "queued as" in response
    row_id = int(response.rsplit(" ", 1)[1])
    row = await store.get_inbound(row_id)  # no waiting: it is there when the client hears 250
    assert row is not None and row.status == "new" and row.transport == "smtp"
    assert row.message_id == "<l1@example.se>"
    assert row.raw.endswith(raw)
    assert row.raw.startswith(b"Return-Path: <anna@example.se>\r\nDelivered-To: privacy@infentre.com\r\n")


async def test_a_database_failure_answers_451_and_the_retry_is_stored(store: Store, listener: ListenerHandle) -> None:
    async with store.tx() as conn:
        await conn.execute(sa.text("ALTER TABLE inbound_messages RENAME TO inbound_messages_away"))
    raw = make_mail(message_id="<l2@example.se>")
    with pytest.raises(aiosmtplib.SMTPDataError) as refused:
        await send(listener, raw)
    assert refused.value.code == 451
    async with store.tx() as conn:
        await conn.execute(sa.text("ALTER TABLE inbound_messages_away RENAME TO inbound_messages"))
    await send(listener, raw)  # the sending server retries later
    rows = await store.list_inbound()
    assert [r.message_id for r in rows] == ["<l2@example.se>"]


async def test_a_redelivered_message_is_queued_once(store: Store, listener: ListenerHandle) -> None:
    raw = make_mail(message_id="<l3@example.se>")
    await send(listener, raw)
    await send(listener, raw)
    assert len(await store.list_inbound()) == 1


async def test_a_15_mb_message_is_accepted_and_kept(store: Store, listener: ListenerHandle) -> None:
    big = make_mail(("z" * 76 + "\n") * (15 * 1024 * 1024 // 77), message_id="<big@example.se>")
    response = await send(listener, big)
    row = await store.get_inbound(int(response.rsplit(" ", 1)[1]))
    assert row is not None and row.size > 15 * 1024 * 1024 and row.raw.endswith(big)


async def test_listener_and_two_pipelines_answer_a_burst_once_each(store: Store, listener: ListenerHandle,
                                                              service: Service, settings: Settings,
                                                              smtp_server: Any, running: list[Any]) -> None:
    from bot.adapters.mail_out import run_sender

    stop = asyncio.Event()
    # Two pipelines (as in two bot processes) drain the one queue: each message is still answered once.
    running.append(asyncio.create_task(run_pipeline(store, service, settings, stop, metas=metas())))
    running.append(asyncio.create_task(run_pipeline(store, service, settings, stop, metas=metas())))
    running.append(asyncio.create_task(run_sender(store, settings, stop, poll=0.2)))
    senders = [f"person{i}@example.se" for i in range(20)]
    await asyncio.gather(*(send(listener, make_mail(sender=s, subject=f"q {i}"), sender=s)
                           for i, s in enumerate(senders)))
    for _ in range(300):
        if len(smtp_server.messages) >= len(senders):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    stop.set()
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == sorted(senders)
    assert {r.status for r in await store.list_inbound()} == {"done"}


async def test_lmtp_answers_once_per_recipient_after_storing(store: Store, settings: Settings) -> None:
    handle = await start_listener(store, settings, listen="127.0.0.1:0", lmtp=True)
    try:
        reader, writer = await asyncio.open_connection(handle.host, handle.port)

        async def reply() -> str:
            lines = []
            while True:
                line = (await reader.readline()).decode()
                lines.append(line)
                if line[3:4] != "-":
                    return "".join(lines)

        assert (await reply()).startswith("220")
        for command, expected in (("LHLO mx.example.se", "250"), ("MAIL FROM:<anna@example.se>", "250"),
                                  ("RCPT TO:<privacy@centra.com>", "250"), ("RCPT TO:<privacy@infentre.com>", "250"),
                                  ("DATA", "354")):
            writer.write(command.encode() + b"\r\n")
            assert (await reply()).startswith(expected), command
        writer.write(make_mail(message_id="<lmtp@example.se>") + b".\r\n")
        first, second = await reply(), await reply()
        assert first.startswith("250 2.0.0 OK queued as") and second == first
        writer.write(b"QUIT\r\n")
        await reply()
        writer.close()
        await writer.wait_closed()
    finally:
        await handle.stop()
    [row] = await store.list_inbound()
    assert b"Delivered-To: privacy@centra.com\r\nDelivered-To: privacy@infentre.com\r\n" in row.raw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(min_size=1, max_size=2000), min_size=1, max_size=3))
def test_whatever_bytes_arrive_they_are_either_stored_exactly_or_refused(tmp_path: Path, bodies: list[bytes]) -> None:
    asyncio.run(_smtp_fuzz(tmp_path, bodies))


async def _smtp_fuzz(tmp_path: Path, bodies: list[bytes]) -> None:
    store = await Store.open(f"sqlite:///{tmp_path}/smtp-fuzz.sqlite3")
    handle = await start_listener(store, Settings(data_dir=tmp_path), listen="127.0.0.1:0")
    try:
        for body in bodies:
            # What the client puts on the wire (RFC 5321 line ends), which is what the listener must keep.
            wire = re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n", body)
            wire = wire if wire.endswith(b"\r\n") else wire + b"\r\n"
            try:
                response = await send(handle, body)
            except aiosmtplib.SMTPResponseException as exc:
                assert exc.code >= 500, exc  # refused (e.g. a line over 998 octets): the sender is told
                continue
            row = await store.get_inbound(int(response.rsplit(" ", 1)[1]))
            assert row is not None
            if row.message_id is None:  # deduplicated by its bytes: these bytes exactly
                assert row.raw.endswith(wire)
    finally:
        await handle.stop()
        await store.close()
