"""The deployment the end-to-end test drives: Procfile processes, their logs, and the ways in from outside."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import aiosmtplib
from slack.rig import ALICE, payload, sign

from .procs import Proc, procfile


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def until(check: Callable[[], Awaitable[bool]], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def address(mailbox: str) -> str:
    return mailbox.rpartition("<")[2].rstrip(">")


class Deployment:
    """The web and worker processes of one test configuration, and the outside services they use."""

    def __init__(self, env: dict[str, str], logs: Path, port: int, listen: int) -> None:
        self.env = env
        self.logs = logs
        self.port = port
        self.listen = listen
        self.commands = procfile()
        self.procs: list[Proc] = []
        self.starts = Counter[str]()
        self.slack: Any = None  # the Slack stand-in
        self.smtp: Any = None  # the SMTP recorder the bot sends to
        self.imap: tuple[str | None, str | None] = (None, None)  # server URL, this run's folder

    async def start(self, kind: str) -> Proc:
        self.starts[kind] += 1
        proc = await Proc(f"{kind}{self.starts[kind]}", self.commands[kind], self.env, self.logs).start()
        self.procs.append(proc)
        return proc

    def tails(self) -> str:
        """The end of every process's log, for a failure message."""
        return "\n".join(f"--- {p.name} (exit {p.proc.returncode if p.proc else None}):\n"
                         + p.log.read_text(errors="replace")[-3000:] for p in self.procs)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def listening(self) -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.listen)
        except OSError:
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    async def ready(self, session: aiohttp.ClientSession) -> bool:
        for proc in self.procs:
            if proc.proc is not None and proc.proc.returncode is not None:
                raise AssertionError(f"{proc.name} exited with {proc.proc.returncode}")
        try:
            async with session.get(self.url("/readyz")) as response:
                return response.status == 200
        except aiohttp.ClientError:
            return False



async def smtp_send(port: int, raw: bytes, *, sender: str, to: str = "privacy@infentre.com",
                    retry_for: float = 0.0) -> None:
    """Deliver like a sending mail server: retry while the listener is down (restarting) or answers 4xx."""
    deadline = time.monotonic() + retry_for
    while True:
        try:
            await aiosmtplib.send(raw, sender=sender, recipients=[to], hostname="127.0.0.1", port=port,
                                  start_tls=False, timeout=30)
            return
        except (aiosmtplib.SMTPException, OSError):
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(0.25)


async def slack_event(session: aiohttp.ClientSession, dep: Deployment, data: dict[str, Any]) -> int:
    body = json.dumps(data).encode()
    ts = int(time.time())
    async with session.post(dep.url("/slack/events"), data=body, headers={
            "Content-Type": "application/json", "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts)}) as response:
        return response.status


def dm(text: str, ts: str) -> dict[str, Any]:
    data = payload("message_im")
    data["event"] |= {"text": text, "ts": ts, "event_ts": ts, "user": ALICE}
    data["event_id"] = f"Ev{ts.replace('.', '')}"
    return data


def received_by(smtp: Any, rcpt: str) -> list[Any]:
    return [m for m in smtp.messages if rcpt in m.rcpt_tos]
