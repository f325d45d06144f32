"""The outbox sender: claims queued mail, sends it with aiosmtplib (or writes .eml files), marks the result."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from bot.adapters.store import OutboxRow, Store
from bot.config import Settings
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

BATCH = 20
CONNECTIONS = 2
HEARTBEAT_SECONDS = 10.0
RELEASE_SECONDS = 5.0
LEASE = timedelta(minutes=5)
POLL_SECONDS = 2.0
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(minutes=30)
# Like an MTA's queue lifetime: transient failures for this long become a visible permanent failure.
GIVE_UP_AFTER = timedelta(days=3)
HEARTBEAT_KEY = "outbox.sender"
LAST_SEND_KEY = "outbox.last_send"


class DeliveryError(Exception):
    """One message could not be delivered; ``permanent`` for 5xx (retrying will not help)."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    async def open(self) -> None: ...
    async def send(self, row: OutboxRow) -> None: ...
    async def close(self) -> None: ...
    def abort(self) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    hostname: str
    port: int
    username: str | None = None
    password: str | None = None
    implicit_tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        """``smtp://[user:pass@]host[:port]`` (STARTTLS when offered) or ``smtps://`` (implicit TLS)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError("SMTP_URL", "must look like smtp://[user:pass@]host:port or smtps://host:port")
        tls = parts.scheme == "smtps"
        return cls(hostname=parts.hostname, port=parts.port or (465 if tls else 25),
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None, implicit_tls=tls)


class SmtpTransport:
    """One SMTP connection per batch; reconnects once per message when the server drops it."""

    # Short enough that a shutdown (SIGTERM: exit within 25 s) is not held up by a silent server.
    def __init__(self, target: SmtpTarget, *, helo_name: str, timeout: float = 15.0,
                 tls_context: ssl.SSLContext | None = None) -> None:
        self._target = target
        self._tls_context = tls_context
        self._helo = helo_name
        self._timeout = timeout
        self._smtp: aiosmtplib.SMTP | None = None

    async def open(self) -> None:
        t = self._target
        smtp = aiosmtplib.SMTP(hostname=t.hostname, port=t.port, username=t.username, password=t.password,
                               use_tls=t.implicit_tls, start_tls=None if not t.implicit_tls else False,
                               local_hostname=self._helo, timeout=self._timeout, tls_context=self._tls_context)
        try:
            await smtp.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            smtp.close()
            # Connection, TLS and login problems are the server's or the configuration's, not the
            # message's: retry later rather than failing tickets.
            raise DeliveryError(f"cannot reach SMTP server {t.hostname}:{t.port}: {exc}", permanent=False) from exc
        self._smtp = smtp

    async def send(self, row: OutboxRow) -> None:
        if self._smtp is None or not self._smtp.is_connected:
            await self.open()
        assert self._smtp is not None
        try:
            errors, _ = await self._smtp.sendmail(row.mail_from, list(row.recipients), row.raw)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            text = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            raise DeliveryError(f"recipients refused: {text}", permanent=all(c >= 500 for c in codes)) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(f"{exc.code} {exc.message}", permanent=exc.code >= 500) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            self._smtp = None
            raise DeliveryError(f"SMTP connection failed: {exc}", permanent=False) from exc
        if errors:
            # Some recipients accepted: the message went out; note the refusals for staff.
            logger.warning("outbox %s: %d recipient(s) refused", row.id, len(errors), extra={"outbox_id": row.id})

    def abort(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
        self._smtp = None

    async def close(self) -> None:
        if self._smtp is not None and self._smtp.is_connected:
            try:
                await self._smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                self._smtp.close()
        self._smtp = None


class EmlTransport:
    """No SMTP configured: each message becomes ``<outbox_dir>/<message-id>.eml``, exactly as it would be sent."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    async def open(self) -> None:
        await asyncio.to_thread(self._folder.mkdir, parents=True, exist_ok=True)

    async def send(self, row: OutboxRow) -> None:
        path = eml_path(self._folder, row.message_id)
        await asyncio.to_thread(_write_atomically, path, row.raw)
        logger.info("no SMTP_URL: wrote outgoing mail to %s", path, extra={"outbox_id": row.id, "path": str(path)})

    async def close(self) -> None:
        return None

    def abort(self) -> None:
        return None


def eml_path(folder: Path, message_id: str) -> Path:
    name = re.sub(r"[^A-Za-z0-9._@+-]", "_", message_id.strip("<>"))[:200] or "message"
    return folder / f"{name}.eml"


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


_ADDRESS = re.compile(r"<?[^\s<>@,;:]+@[^\s<>@,;:]+>?")


def redact(text: str) -> str:
    """An SMTP error fit for the log: server replies quote the recipient's address, which is personal data."""
    return _ADDRESS.sub("<address>", text)


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        helo = settings.mail_from.rpartition("@")[2] or "localhost"
        return SmtpTransport(SmtpTarget.from_url(settings.smtp_url), helo_name=helo)
    return EmlTransport(settings.outbox_dir)


def backoff(attempts: int) -> timedelta:
    """30 s, 1, 2, 4 ... minutes, at most 30 minutes between tries."""
    delay: timedelta = BACKOFF_FIRST * (2 ** min(max(0, attempts - 1), 16))
    return min(delay, BACKOFF_MAX)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class SendReport:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


async def deliver(store: Store, transport: Transport, rows: list[OutboxRow], *, worker: str,
                  report: SendReport, stop: asyncio.Event | None = None) -> None:
    """Send each claimed row once and record the result; a connection failure defers the rest.

    When ``stop`` is set the remaining rows are left claimed; the caller hands them back (release_claims).
    """
    try:
        await transport.open()
    except DeliveryError as exc:
        for row in rows:
            await _record(store, row, exc, worker=worker, report=report)
        return
    cancelled = False
    try:
        for row in rows:
            if stop is not None and stop.is_set():
                return
            try:
                await transport.send(row)
            except DeliveryError as exc:
                await _record(store, row, exc, worker=worker, report=report)
                continue
            await store.mark_sent(row.id, worker=worker)
            report.sent += 1
    except asyncio.CancelledError:
        cancelled = True
        transport.abort()  # no polite QUIT: a stalled server must not hold up a shutdown
        raise
    finally:
        if not cancelled:
            await transport.close()


async def _record(store: Store, row: OutboxRow, exc: DeliveryError, *, worker: str, report: SendReport) -> None:
    message = str(exc)
    report.errors.append(f"outbox {row.id}: {message}")
    if exc.permanent or store.now() - row.created_at > GIVE_UP_AFTER:
        await store.fail_outbox(row.id, worker=worker, error=message)
        report.failed += 1
        return
    logger.info("outbox %s: will retry (attempt %d): %s", row.id, row.attempts, redact(message),
                extra={"outbox_id": row.id})
    await store.retry_outbox(row.id, worker=worker, error=message, at=store.now() + backoff(row.attempts))
    report.retry += 1


async def send_once(store: Store, settings: Settings, *, transport: Transport | None = None,
                    worker: str | None = None, lease: timedelta = LEASE, force: bool = True) -> SendReport:
    """Try every undelivered message once, now, whatever its backoff (``python -m bot outbox send``).

    ``force=False`` tries only the messages that are due (their backoff has passed).
    """
    worker = worker or worker_name()
    transport = transport or transport_for(settings)
    report = SendReport()
    seen: set[int] = set()
    try:
        while rows := await store.claim_outbox(worker, limit=BATCH, lease=lease, force=force, exclude=seen):
            seen.update(r.id for r in rows)
            await deliver(store, transport, rows, worker=worker, report=report)
    finally:
        await store.release_claims(worker)
    if report.sent:
        await store.heartbeat(LAST_SEND_KEY)
    return report


async def run_sender(store: Store, settings: Settings, stop_event: asyncio.Event, *,
                     transport: Transport | None = None, poll: float = POLL_SECONDS, lease: timedelta = LEASE,
                     connections: int = CONNECTIONS) -> None:
    """Drain the outbox until ``stop_event`` is set; claimed but unsent messages are handed back on exit.

    ``connections`` loops run side by side, each with its own SMTP connection and claims (one when a
    ``transport`` is given).
    """
    where = "SMTP" if settings.smtp_url else f"writing .eml files to {settings.outbox_dir}"
    logger.info("outbox sender started (%s)", where)
    if transport is not None:
        loops = [_sender_loop(store, transport, stop_event, poll=poll, lease=lease)]
    else:
        loops = [_sender_loop(store, transport_for(settings), stop_event, poll=poll, lease=lease)
                 for _ in range(max(1, connections))]
    try:
        await asyncio.gather(*loops)
    finally:
        logger.info("outbox sender stopped")


async def _sender_loop(store: Store, transport: Transport, stop_event: asyncio.Event, *, poll: float,
                       lease: timedelta) -> None:
    worker = worker_name()
    failures = 0
    last_beat = float("-inf")
    loop = asyncio.get_running_loop()
    try:
        while not stop_event.is_set():
            store.outbox_wakeup.clear()
            try:
                rows = await store.claim_outbox(worker, limit=BATCH, lease=lease)
                if rows:
                    report = SendReport()
                    await deliver(store, transport, rows, worker=worker, report=report, stop=stop_event)
                    if report.sent:
                        await store.heartbeat(LAST_SEND_KEY)
                if loop.time() - last_beat > HEARTBEAT_SECONDS:
                    await store.heartbeat(HEARTBEAT_KEY)
                    last_beat = loop.time()
                failures = 0
            except Exception:  # the database may be briefly unreachable: keep the sender alive
                failures += 1
                logger.exception("outbox sender: database error (attempt %d)", failures)
                rows = []
            if rows and not failures:
                continue
            await _sleep(stop_event, store.outbox_wakeup, min(poll * (2 ** failures), 60.0))
    finally:
        await _hand_back(store, worker)


async def _hand_back(store: Store, worker: str) -> None:
    """Release this worker's claims, within a few seconds: a cancelled task must still end (the leases
    expire anyway, so giving up here loses nothing)."""
    try:
        released = await asyncio.wait_for(store.release_claims(worker), RELEASE_SECONDS)
    except (Exception, asyncio.CancelledError) as exc:
        logger.warning("outbox sender: claims not handed back (%s); their leases will expire", type(exc).__name__)
        return
    if released:
        logger.info("outbox sender: handed back %d claimed message(s)", released)


async def _sleep(stop: asyncio.Event, wakeup: asyncio.Event, seconds: float) -> None:
    waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wakeup.wait())]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
