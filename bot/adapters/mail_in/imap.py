"""The IMAP poller: IMAPClient in a worker thread; stores each message, flags it only once its outcome is final."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient

from bot.adapters.mail_in import store_raw
from bot.adapters.store import Store
from bot.adapters.store.mail_inbox import TERMINAL_INBOUND, inbound_status
from bot.adapters.store.mailbox_lock import MailboxLock
from bot.config import Settings
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

# The flag that says "the bot's outcome for this message is committed"; \Seen alone would be unsafe:
# people reading the shared mailbox set it too.
PROCESSED_KEYWORD = "$PrivacyBotDone"
FETCH_CHUNK = 20
MAX_BACKOFF = 60.0
# RFC 2177: clients should re-issue IDLE at least every 29 minutes.
IDLE_SECONDS = 300.0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ImapTarget:
    host: str
    port: int
    implicit_tls: bool
    username: str
    password: str
    folder: str

    @property
    def name(self) -> str:
        return f"{self.username}@{self.host}:{self.port}/{self.folder}"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_imap_url(url: str) -> ImapTarget:
    """``imap://user:pass@host:port/FOLDER`` (STARTTLS) or ``imaps://…`` (implicit TLS); folder INBOX."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ConfigError("IMAP_URL", "must look like imaps://user:password@host:993/INBOX")
    if not parts.username or parts.password is None:
        raise ConfigError("IMAP_URL", "must include the user name and password (user:password@)")
    implicit = parts.scheme == "imaps"
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapTarget(host=parts.hostname, port=parts.port or (993 if implicit else 143), implicit_tls=implicit,
                      username=unquote(parts.username), password=unquote(parts.password), folder=folder)


class Mailbox:
    """Blocking IMAP operations; every call runs in a worker thread (``asyncio.to_thread``)."""

    def __init__(self, target: ImapTarget, ssl_context: ssl.SSLContext | None, *, timeout: float) -> None:
        self._target = target
        self._ssl_context = ssl_context or ssl.create_default_context()
        self._timeout = timeout
        self._client: IMAPClient | None = None
        self.keywords = False
        self.can_idle = False

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            raise ConnectionError("not connected")
        return self._client

    def connect(self) -> None:
        target = self._target
        client = IMAPClient(target.host, port=target.port, ssl=target.implicit_tls,
                            ssl_context=self._ssl_context, timeout=self._timeout)
        self._client = client
        if not target.implicit_tls:
            if client.has_capability("STARTTLS"):
                client.starttls(self._ssl_context)
            elif not target.loopback:
                raise ConnectionRefusedError(f"{target.host} offers no STARTTLS; refusing to send the password "
                                             "in clear text (use imaps://)")
        client.login(target.username, target.password)
        selected = client.select_folder(target.folder)
        self.keywords = b"\\*" in selected.get(b"PERMANENTFLAGS", ())
        self.can_idle = client.has_capability("IDLE")
        if not self.keywords:
            logger.warning("IMAP folder does not allow keywords; \\Seen marks processed mail")

    def unprocessed(self) -> list[int]:
        criteria: list[Any] = ["NOT", "KEYWORD", PROCESSED_KEYWORD] if self.keywords else ["UNSEEN"]
        return sorted(int(u) for u in self.client.search(criteria))

    def fetch(self, uids: Sequence[int]) -> dict[int, bytes]:
        # BODY.PEEK: reading must not set \Seen before the outcome is committed.
        data = self.client.fetch(list(uids), ["BODY.PEEK[]"])
        out: dict[int, bytes] = {}
        for uid, item in data.items():
            body = item.get(b"BODY[]")
            if isinstance(body, bytes):
                out[int(uid)] = body
        return out

    def mark_processed(self, uids: Sequence[int]) -> None:
        flags: list[str | bytes] = [b"\\Seen", PROCESSED_KEYWORD] if self.keywords else [b"\\Seen"]
        self.client.add_flags(list(uids), flags, silent=True)

    def idle_start(self) -> None:
        self.client.idle()

    def idle_check(self, timeout: float) -> bool:
        """True when the server reported a change (new mail, expunge)."""
        return bool(self.client.idle_check(timeout=timeout))

    def idle_done(self) -> None:
        self.client.idle_done()

    def noop(self) -> None:
        self.client.noop()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # the connection may already be gone; just drop it
            try:
                client.shutdown()
            except Exception:
                logger.debug("IMAP shutdown failed", exc_info=True)


async def _call(func: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(func, *args)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class ImapPoller:
    """One session's work: store unprocessed mail, flag what has a final outcome, wait for more."""

    def __init__(self, store: Store, box: Mailbox, *, poll_seconds: float, check_seconds: float) -> None:
        self._store = store
        self._box = box
        self._poll = poll_seconds
        self._check = check_seconds
        self.pending: dict[int, str] = {}  # uid -> dedupe key, stored but not yet final

    async def sync(self) -> int:
        """Store new messages and flag finished ones; returns how many were flagged."""
        uids = await _call(self._box.unprocessed)
        present = set(uids)
        for uid in [u for u in self.pending if u not in present]:
            del self.pending[uid]  # flagged or deleted by someone else
        new = [u for u in uids if u not in self.pending]
        for start in range(0, len(new), FETCH_CHUNK):
            fetched = await _call(self._box.fetch, new[start:start + FETCH_CHUNK])
            for uid, raw in sorted(fetched.items()):
                _row, _created, key = await store_raw(self._store, raw, transport="imap")
                self.pending[uid] = key
        return await self.flag_finished()

    async def flag_finished(self) -> int:
        if not self.pending:
            return 0
        statuses = await inbound_status(self._store, list(self.pending.values()))
        done = [uid for uid, key in self.pending.items() if statuses.get(key) in TERMINAL_INBOUND]
        for uid, key in list(self.pending.items()):
            if key not in statuses:
                del self.pending[uid]  # not in the queue (any more): fetch and store it again
        if done:
            await _call(self._box.mark_processed, done)
            for uid in done:
                self.pending.pop(uid, None)
            logger.info("flagged %d IMAP message(s) processed", len(done))
        return len(done)

    async def wait(self, stop: asyncio.Event) -> None:
        """Until new mail (IDLE) or the poll interval; wakes early to flag mail whose outcome is final."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (IDLE_SECONDS if self._box.can_idle else self._poll)
        idling = False
        try:
            if self._box.can_idle:
                await _call(self._box.idle_start)
                idling = True
            while not stop.is_set() and loop.time() < deadline:
                if idling:
                    if await _call(self._box.idle_check, self._check):
                        return
                else:
                    await _sleep(stop, self._check)
                if self.pending:
                    statuses = await inbound_status(self._store, list(self.pending.values()))
                    if any(s in TERMINAL_INBOUND for s in statuses.values()):
                        return
        finally:
            if idling:
                await _call(self._box.idle_done)


async def run_imap_poller(store: Store, service: object, settings: Settings, stop: asyncio.Event, *,
                          ssl_context: ssl.SSLContext | None = None, poll_seconds: float = 30.0,
                          check_seconds: float = 1.0, timeout: float = 60.0) -> None:
    """Poll ``IMAP_URL`` until ``stop``: one poller per mailbox across processes, reconnecting with backoff.

    Messages go to the inbound queue (``run_pipeline`` processes them; ``service`` is not needed here)
    and are flagged ``$PrivacyBotDone`` + ``\\Seen`` once their outcome is committed.
    """
    if not settings.imap_url:
        raise ConfigError("IMAP_URL", "is not set")
    target = parse_imap_url(settings.imap_url)
    owner = f"imap:{socket.gethostname()}:{os.getpid()}:{id(stop)}"
    lock = MailboxLock(store, f"imap:{target.name}", owner=owner)
    backoff = 1.0
    waiting_logged = False
    try:
        while not stop.is_set():
            try:
                if not await lock.acquire():
                    if not waiting_logged:
                        logger.info("another process polls %s; standing by", target.folder)
                        waiting_logged = True
                    await _sleep(stop, min(poll_seconds, 10.0))
                    continue
            except Exception:
                logger.warning("mailbox lock unavailable (database down?)", exc_info=True)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            waiting_logged = False
            box = Mailbox(target, ssl_context, timeout=timeout)
            try:
                await _call(box.connect)
                logger.info("IMAP connected to %s:%d, folder %s (IDLE %s)", target.host, target.port,
                            target.folder, "yes" if box.can_idle else "no")
                poller = ImapPoller(store, box, poll_seconds=poll_seconds, check_seconds=check_seconds)
                backoff = 1.0
                while not stop.is_set() and await lock.held():
                    await poller.sync()
                    await store.heartbeat("imap.last_poll")
                    await poller.wait(stop)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("IMAP session ended (%s: %s); reconnecting in %.0f s", type(exc).__name__, exc,
                               backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
            finally:
                await _call(box.close)
    finally:
        try:
            await lock.release()
        except Exception:
            logger.debug("could not release the mailbox lock", exc_info=True)
        logger.info("IMAP poller stopped")
