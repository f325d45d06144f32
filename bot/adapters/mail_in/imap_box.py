"""Blocking IMAP access with IMAPClient (BSD licence): connect with TLS, search, fetch, flag, IDLE."""

from __future__ import annotations

import ipaddress
import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient

from bot.adapters.mail_in import truncated
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

# The flag that says "the bot's outcome for this message is committed"; \Seen alone would be unsafe:
# people reading the shared mailbox set it too.
PROCESSED_KEYWORD = "$PrivacyBotDone"
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
        self.use_idle = True

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
        self.can_idle = self.use_idle and client.has_capability("IDLE")
        if not self.keywords:
            logger.warning("IMAP folder does not allow keywords; \\Seen marks processed mail")

    def unprocessed(self, since: date | None = None) -> list[int]:
        criteria: list[Any] = ["NOT", "KEYWORD", PROCESSED_KEYWORD] if self.keywords else ["UNSEEN"]
        if since is not None:
            criteria += ["SINCE", since]
        return sorted(int(u) for u in self.client.search(criteria))

    def fetch(self, uids: Sequence[int], max_bytes: int) -> dict[int, bytes]:
        """Whole messages; one over ``max_bytes`` as its header only, marked with its real size (the full
        message stays in the mailbox), so a hostile giant cannot exhaust memory or the database."""
        # BODY.PEEK: reading must not set \Seen before the outcome is committed.
        sizes = {int(u): int(d.get(b"RFC822.SIZE", 0)) for u, d in
                 self.client.fetch(list(uids), ["RFC822.SIZE"]).items()}
        small = [u for u in uids if sizes.get(u, 0) <= max_bytes]
        big = [u for u in uids if sizes.get(u, 0) > max_bytes]
        out: dict[int, bytes] = {}
        if small:
            for uid, item in self.client.fetch(small, ["BODY.PEEK[]"]).items():
                body = item.get(b"BODY[]")
                if isinstance(body, bytes):
                    out[int(uid)] = body
        if big:
            for uid, item in self.client.fetch(big, ["BODY.PEEK[HEADER]"]).items():
                header = item.get(b"BODY[HEADER]")
                if isinstance(header, bytes):
                    out[int(uid)] = truncated(header, sizes[int(uid)])
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
