"""Mail intake: the IMAP poller and the SMTP listener both store raw messages in the inbound queue first."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from email import policy
from email.parser import BytesHeaderParser

from bot.adapters.store import Store
from bot.core.mailheaders import clean_message_id

logger = logging.getLogger(__name__)

_HEADER_SCAN = 256 * 1024
_wakeups: weakref.WeakKeyDictionary[Store, asyncio.Event] = weakref.WeakKeyDictionary()


TRUNCATED_HEADER = b"X-Privacy-Bot-Truncated"


def truncated(header: bytes, size: int) -> bytes:
    """A stand-in for a message too large to fetch: our marker with its real size, then its header."""
    return TRUNCATED_HEADER + b": " + str(size).encode() + b"\r\n" + header


def truncated_size(raw: bytes) -> int | None:
    """The real size of a message stored by ``truncated``, else None."""
    if not raw.startswith(TRUNCATED_HEADER + b": "):
        return None
    value = raw[len(TRUNCATED_HEADER) + 2:raw.find(b"\r\n")]
    return int(value) if value.isdigit() else None


def inbound_wakeup(store: Store) -> asyncio.Event:
    """Set when a message is queued, so the pipeline in the same process starts on it at once."""
    event = _wakeups.get(store)
    if event is None:
        event = _wakeups[store] = asyncio.Event()
    return event


def message_id_of(raw: bytes) -> str | None:
    """The message's own Message-ID, if it has a well-formed one (headers only; junk gives None)."""
    head = raw[:_HEADER_SCAN]
    try:
        value = BytesHeaderParser(policy=policy.compat32).parsebytes(head).get("Message-ID")
    except Exception:  # hostile bytes: no id, the raw hash dedupes instead
        return None
    return clean_message_id(str(value)) if value is not None else None


def dedupe_key(raw: bytes) -> tuple[str, str | None]:
    """(dedupe key, Message-ID): by Message-ID, or by a hash of the raw bytes when there is none."""
    message_id = message_id_of(raw)
    if message_id is not None:
        return "mid:" + hashlib.sha256(message_id.encode()).hexdigest(), message_id
    return "raw:" + hashlib.sha256(raw).hexdigest(), None


async def store_raw(store: Store, raw: bytes, *, transport: str) -> tuple[int, bool, str]:
    """Queue a raw message; (row id, True when new, dedupe key). Raises when the database fails."""
    key, message_id = dedupe_key(raw)
    row_id, created = await store.enqueue_inbound(transport=transport, raw=raw, dedupe_key=key,
                                                  message_id=message_id)
    if created:
        inbound_wakeup(store).set()
        logger.info("queued inbound message %s via %s (%d bytes)", row_id, transport, len(raw),
                    extra={"inbound_id": row_id})
    else:
        logger.info("inbound message via %s repeats queued message %s", transport, row_id,
                    extra={"inbound_id": row_id})
    return row_id, created, key
