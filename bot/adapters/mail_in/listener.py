"""The SMTP/LMTP listener (aiosmtpd): a message is in the inbound queue before ``250`` is answered."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.adapters.mail_in import store_raw
from bot.adapters.store import Store
from bot.config import Settings
from bot.core.mailheaders import clean_address
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 100
# Mail over MAX_MAIL_BYTES is still accepted and kept (it gets one polite reply); only far larger
# mail is refused in the SMTP dialogue (552), where the sending server reports it to its sender.
HARD_LIMIT_FACTOR = 4


def delivery_headers(envelope: Envelope) -> bytes:
    """Return-Path and Delivered-To, as the final delivery agent adds them (RFC 5321 4.4)."""
    lines = []
    sender = clean_address(envelope.mail_from or "")
    lines.append(b"Return-Path: <" + (sender or "").encode() + b">\r\n")
    for rcpt in envelope.rcpt_tos[:MAX_RECIPIENTS]:
        address = clean_address(rcpt)
        if address is not None:
            lines.append(b"Delivered-To: " + address.encode() + b"\r\n")
    return b"".join(lines)


class QueueHandler:
    """aiosmtpd handler: accepts every recipient (we never relay) and queues the message in DATA."""

    def __init__(self, store: Store, *, lmtp: bool = False) -> None:
        self._store = store
        self._lmtp = lmtp
        self.accepted = 0

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape")
        try:
            row_id, _created, _key = await store_raw(self._store, delivery_headers(envelope) + raw, transport="smtp")
        except Exception:
            # 4xx: the sending server keeps the message and retries; nothing accepted is lost.
            logger.exception("could not queue an inbound message; answered 451")
            return self._per_recipient(envelope, "451 4.3.0 Temporary failure storing the message, please retry later")
        self.accepted += 1
        return self._per_recipient(envelope, f"250 2.0.0 OK queued as {row_id}")

    def _per_recipient(self, envelope: Envelope, status: str) -> str:
        # RFC 2033 4.2: after DATA an LMTP server answers once per accepted recipient. The one stored
        # copy serves them all (the pipeline routes by its Delivered-To lines).
        if not self._lmtp:
            return status
        return "\r\n".join([status] * max(1, len(envelope.rcpt_tos)))


@dataclass
class ListenerHandle:
    """The running listener: its bound address and ``await handle.stop()``."""

    server: asyncio.Server
    handler: QueueHandler
    host: str
    port: int

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()
        logger.info("SMTP listener on %s:%d stopped", self.host, self.port)


def parse_listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host.strip("[]"), int(port)


async def start_listener(store: Store, settings: Settings, *, listen: str | None = None,
                         lmtp: bool = False) -> ListenerHandle:
    """Serve SMTP (or LMTP, RFC 2033) on ``SMTP_LISTEN`` (or ``listen``, e.g. "127.0.0.1:0") in this loop."""
    where = listen or settings.smtp_listen
    if not where:
        raise ConfigError("SMTP_LISTEN", "is not set; e.g. 127.0.0.1:2525")
    host, port = parse_listen(where)
    handler = QueueHandler(store, lmtp=lmtp)
    protocol = LMTP if lmtp else SMTP
    hard_limit = max(settings.max_mail_bytes * HARD_LIMIT_FACTOR, 32 * 1024 * 1024)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: protocol(handler, data_size_limit=hard_limit, enable_SMTPUTF8=True, hostname="privacy-bot",
                     ident="privacy-bot", timeout=120, loop=loop),
        host=host, port=port)
    bound = server.sockets[0].getsockname()
    logger.info("%s listener on %s:%d", "LMTP" if lmtp else "SMTP", bound[0], bound[1])
    return ListenerHandle(server=server, handler=handler, host=str(bound[0]), port=int(bound[1]))
