"""Shared fixtures: real SQLite and PostgreSQL stores, a controllable clock, a loopback SMTP server."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

POSTGRES_ENV = "TEST_POSTGRES_URL"


class FakeClock:
    """A clock the test moves by hand: ``clock()`` is now, ``clock.advance(minutes=5)`` moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 10, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path}/data/privacy-bot.sqlite3"


def postgres_server_url() -> str:
    """The test PostgreSQL server; fails under CI when missing (CI must never skip these), else skips."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set: scripts/test starts PostgreSQL and sets it; CI never skips")
        pytest.skip(f"{POSTGRES_ENV} not set (run scripts/test, or scripts/postgres start DIR)")
    return url


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty database on the test PostgreSQL server for this test only."""
    import asyncpg

    server = postgres_server_url()
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = server.rpartition("/")
    yield f"{base}/{name}"
    admin = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    """Runs the test twice: on an SQLite file and on a fresh PostgreSQL database."""
    url: str = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    return url


@pytest.fixture
async def store(store_url: str, clock: FakeClock) -> AsyncIterator[Any]:
    from bot.adapters.store import Store

    opened = await Store.open(store_url, clock=clock)
    yield opened
    await opened.close()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.data.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class SmtpRecorder:
    """aiosmtpd handler: records every accepted message; can refuse recipients or defer with codes."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Received] = field(default_factory=list)
    # recipient address -> SMTP reply, e.g. {"nobody@x.se": "550 5.1.1 No such user"}
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    data_reply: str | None = None  # e.g. "451 4.3.0 Try again later" for every DATA
    _server: asyncio.AbstractServer | None = None
    _factory: Callable[[], Any] | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def start(self) -> None:
        """Listen (again) on ``port`` (0 = pick a free one the first time)."""
        from aiosmtpd.smtp import SMTP

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="mx.test", loop=loop), self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def by_kind(self, header_value: str) -> list[Received]:
        return [m for m in self.messages if header_value in m.message.get("Subject", "")]


@pytest.fixture
async def smtp_server() -> AsyncIterator[SmtpRecorder]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 at an ephemeral port, recording envelopes."""
    recorder = SmtpRecorder()
    await recorder.start()
    yield recorder
    await recorder.stop()


@pytest.fixture
def free_port() -> int:
    """A loopback port with nothing listening (for "connection refused")."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
