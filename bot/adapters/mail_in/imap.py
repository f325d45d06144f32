"""The IMAP poller: stores each message in the queue, flags it only once its outcome is final; one per mailbox."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
import ssl
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from bot.adapters.mail_in import store_raw
from bot.adapters.mail_in.imap_box import PROCESSED_KEYWORD, ImapTarget, Mailbox, parse_imap_url
from bot.adapters.mail_in.listener import HARD_LIMIT_FACTOR
from bot.adapters.store import Store
from bot.adapters.store.mail_inbox import TERMINAL_INBOUND, inbound_status
from bot.adapters.store.mailbox_lock import MailboxLock
from bot.config import Settings
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

FETCH_CHUNK = 20
MAX_BACKOFF = 60.0
# RFC 2177: clients should re-issue IDLE at least every 29 minutes.
IDLE_SECONDS = 300.0
LOCK_TTL = timedelta(seconds=60)
LOCK_RENEW_SECONDS = 20.0
T = TypeVar("T")
__all__ = ["PROCESSED_KEYWORD", "ImapTarget", "parse_imap_url", "run_imap_poller"]


async def _call(func: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(func, *args)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class ImapPoller:
    """One session's work: store unprocessed mail, flag what has a final outcome, wait for more."""

    def __init__(self, store: Store, box: Mailbox, *, poll_seconds: float, check_seconds: float,
                 since: date | None = None, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._store = store
        self._max_bytes = max_bytes
        self._box = box
        self._since = since
        self._poll = poll_seconds
        self._check = check_seconds
        self.pending: dict[int, str] = {}  # uid -> dedupe key, stored but not yet final

    async def sync(self) -> int:
        """Store new messages and flag finished ones; returns how many were flagged."""
        uids = await _call(self._box.unprocessed, self._since)
        present = set(uids)
        for uid in [u for u in self.pending if u not in present]:
            del self.pending[uid]  # flagged or deleted by someone else
        new = [u for u in uids if u not in self.pending]
        for start in range(0, len(new), FETCH_CHUNK):
            fetched = await _call(self._box.fetch, new[start:start + FETCH_CHUNK], self._max_bytes)
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
        # Back within LOCK_RENEW_SECONDS in any case, so the mailbox lease is renewed before it expires.
        deadline = loop.time() + min(IDLE_SECONDS if self._box.can_idle else self._poll, LOCK_RENEW_SECONDS)
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


def fetch_limit(settings: Settings) -> int:
    """Mail up to this size is fetched whole (and kept raw); larger mail only by its header."""
    return max(settings.max_mail_bytes * HARD_LIMIT_FACTOR, 32 * 1024 * 1024)


async def first_seen(store: Store, target: ImapTarget) -> date:
    """The day the bot first polled this mailbox (remembered in the store), less one day.

    Older mail is left alone: pointing the bot at a shared mailbox with years of history must not send
    years of automatic replies. The day before covers mail that arrived just before the first start.
    """
    key = "imap.since:" + hashlib.sha256(target.name.encode()).hexdigest()[:32]
    state = await store.get_state(key)
    if state is not None:
        try:
            return date.fromisoformat(state[0])
        except ValueError:
            pass
    since = store.now().date() - timedelta(days=1)
    await store.set_state(key, since.isoformat())
    return since


async def run_imap_poller(store: Store, service: object, settings: Settings, stop: asyncio.Event, *,
                          ssl_context: ssl.SSLContext | None = None, poll_seconds: float = 30.0,
                          check_seconds: float = 1.0, timeout: float = 60.0, use_idle: bool = True,
                          since: date | None = None, max_fetch_bytes: int | None = None) -> None:
    """Poll ``IMAP_URL`` until ``stop``: one poller per mailbox across processes, reconnecting with backoff.

    Messages go to the inbound queue (``run_pipeline`` processes them; ``service`` is not needed here)
    and are flagged ``$PrivacyBotDone`` + ``\\Seen`` once their outcome is committed. IDLE when the server
    offers it (``use_idle``), else polling every ``poll_seconds``. Only mail from ``since`` (default: the
    day before the first poll of this mailbox) on is taken. Mail over ``max_fetch_bytes`` (default
    4 x MAX_MAIL_BYTES, at least 32 MB) is stored by its header only and stays whole in the mailbox.
    """
    if not settings.imap_url:
        raise ConfigError("IMAP_URL", "is not set")
    target = parse_imap_url(settings.imap_url)
    owner = f"imap:{socket.gethostname()}:{os.getpid()}:{id(stop)}"
    lock = MailboxLock(store, f"imap:{target.name}", owner=owner, ttl=LOCK_TTL)
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
            box.use_idle = use_idle
            try:
                start = since or await first_seen(store, target)
                await _call(box.connect)
                logger.info("IMAP connected to %s:%d, folder %s (IDLE %s)", target.host, target.port,
                            target.folder, "yes" if box.can_idle else "no")
                poller = ImapPoller(store, box, poll_seconds=poll_seconds, check_seconds=check_seconds, since=start,
                                    max_bytes=max_fetch_bytes or fetch_limit(settings))
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
