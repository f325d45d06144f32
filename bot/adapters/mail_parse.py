"""Raw e-mail bytes to a ParsedMail: addresses, threading, the text to answer, evidence; never raises."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from bot.adapters.mail_text import decode_bytes, html_to_text, part_text, strip_reply
from bot.core.mail_rules import Bounce, is_bounce
from bot.core.mailheaders import clean_address, clean_message_id, header_text
from bot.core.tickets import parse_reference

logger = logging.getLogger(__name__)

SYNTHETIC_DOMAIN = "synthetic.privacy-bot.invalid"
MAX_HEADERS = 500
MAX_HEADER_VALUE = 4000
_AUTH_METHODS = ("dkim", "spf", "dmarc", "arc")
_RECIPIENT_HEADERS = ("delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "to", "cc")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_MSGID_TOKEN = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str | None
    content_type: str
    size: int  # decoded bytes


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """What the e-mail channel needs from one message; ``problem`` set when it cannot be used as mail."""

    message_id: str  # always set: "<…>"; synthetic (a hash of the raw bytes) when missing or malformed
    synthetic_message_id: bool
    from_address: str | None
    from_name: str | None
    reply_to: str | None
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To (envelope-ish ones first)
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None
    body: str  # the whole text body as sent (HTML converted), for the ticket's verbatim record
    text: str  # the new part only: quoted history and signature removed, for answering
    html_only: bool
    attachments: tuple[Attachment, ...]
    auth_results: tuple[tuple[str, str], ...]  # e.g. (("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass"))
    headers: tuple[tuple[str, str], ...]  # every top-level header, unfolded, single-line
    size: int
    ticket_reference: str | None = None  # "[DSR-…]" tag in the subject
    bounce: Bounce | None = None
    oversized: bool = False  # over the size cap: headers only, body not read
    problem: str | None = None

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """In-Reply-To and References: the Message-IDs this message answers, newest first."""
        ids = ([self.in_reply_to] if self.in_reply_to else []) + list(reversed(self.references))
        return tuple(dict.fromkeys(ids))

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def synthetic_message_id(raw: bytes) -> str:
    """A stable Message-ID for mail without one: the same bytes always give the same id (dedupe)."""
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@{SYNTHETIC_DOMAIN}>"


def _single_line(value: str, limit: int) -> str:
    """A raw header value unfolded to one line; raw 8-bit bytes (surrogate-escaped) decoded properly."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = decode_bytes(value.encode("utf-8", "surrogateescape"), None)
    return _CONTROL.sub(" ", value).strip()[:limit]


def _raw_headers(msg: Message) -> list[tuple[str, str]]:
    items = msg.raw_items() if isinstance(msg, EmailMessage) else msg.items()
    return [(_single_line(str(name), 100), _single_line(str(value), MAX_HEADER_VALUE))
            for name, value in list(items)[:MAX_HEADERS]]


def _decoded(value: str) -> str:
    """RFC 2047 decoded header text (charsets repaired); malformed encoded words stay as they are."""
    try:
        chunks = decode_header(value)
    except Exception:  # hostile headers: keep the raw text
        return value
    return "".join(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk
                   for chunk, charset in chunks)


def _values(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in headers if k.lower() == name]


def _addresses(values: Iterable[str]) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for display, addr in getaddresses(list(values)):
        clean = clean_address(addr)
        if clean is not None:
            name = header_text(_decoded(display), limit=200) or None
            found.append((clean, name))
    return found


def _auth_results(values: list[str], trusted: Collection[str] | None) -> tuple[tuple[str, str], ...]:
    """dkim/spf/dmarc results (RFC 8601) from the topmost Authentication-Results we trust.

    Only the first header counts by default: it is the one our own receiving server added; lower ones
    travelled with the message and may be forged by the sender.
    """
    for value in values:
        authserv, _, rest = value.partition(";")
        authserv_id = authserv.strip().split()[0].lower() if authserv.strip() else ""
        if trusted is not None and authserv_id not in {t.lower() for t in trusted}:
            continue
        results: dict[str, str] = {}
        for clause in rest.split(";"):
            match = re.match(r"\s*([a-z]+)\s*=\s*([a-z]+)", clause, re.IGNORECASE)
            if not match or match.group(1).lower() not in _AUTH_METHODS:
                continue
            method = match.group(1).lower()
            results.setdefault(method, match.group(2).lower())
            domain = re.search(r"\b(header\.d|header\.from|smtp\.mailfrom)\s*=\s*([^\s;]+)", clause, re.I)
            if domain:
                value_domain = domain.group(2).lower().rpartition("@")[2]
                results.setdefault(f"{method}_domain", header_text(value_domain, limit=200))
        if results:
            return (("authserv_id", header_text(authserv_id, limit=200)), *results.items())
        return ()
    return ()


def _date(values: list[str]) -> datetime | None:
    if not values:
        return None
    try:
        parsed = parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _leaf_parts(msg: Message, depth: int = 0) -> Iterable[Message]:
    """Leaf parts; an attached message (message/rfc822) is one leaf, not descended into."""
    if depth < 20 and msg.get_content_maintype() == "multipart":
        payload = msg.get_payload()
        if isinstance(payload, list):
            for part in payload:
                if isinstance(part, Message):
                    yield from _leaf_parts(part, depth + 1)
        return
    yield msg


def _attachment(part: Message) -> Attachment:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        size = sum(len(p.as_bytes()) for p in inner if isinstance(p, Message)) if isinstance(inner, list) else 0
    else:
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else len(str(part.get_payload()))
    name = part.get_filename()
    return Attachment(filename=(header_text(_decoded(name), limit=200) or None) if name else None,
                      content_type=part.get_content_type(), size=size)


def _body(msg: Message) -> tuple[str, bool, list[Attachment]]:
    """The text body (plain preferred, else HTML converted) and the other parts as attachments."""
    leaves = list(_leaf_parts(msg))
    plain = html = None
    for part in leaves:
        ctype = part.get_content_type()
        try:
            attached = part.get_content_disposition() == "attachment" or bool(part.get_filename())
        except Exception:  # unreadable disposition: treat as an attachment
            attached = True
        if attached:
            continue
        if ctype == "text/plain" and plain is None:
            plain = part
        elif ctype == "text/html" and html is None:
            html = part
    body_part = plain if plain is not None else html
    attachments: list[Attachment] = []
    for part in leaves:
        if part is body_part or (part is html and plain is not None):
            continue
        try:
            attachments.append(_attachment(part))
        except Exception:  # a broken attachment is noted, never fatal
            attachments.append(Attachment(filename=None, content_type="application/octet-stream", size=0))
    if body_part is None:
        return "", False, attachments
    text = part_text(body_part)
    if body_part is html:
        return html_to_text(text), True, attachments
    return text, False, attachments


def parse_message(raw: bytes, *, max_bytes: int | None = None,
                  trusted_authserv_ids: Collection[str] | None = None) -> ParsedMail:
    """Parse one message; junk gives a ParsedMail with ``problem`` set, never an exception.

    Over ``max_bytes`` only the headers are read (``oversized``): enough to reply politely and route.
    """
    try:
        return _parse(raw, max_bytes=max_bytes, trusted=trusted_authserv_ids)
    except Exception as exc:  # the pipeline must quarantine junk, never crash on it
        logger.warning("unparseable message (%d bytes): %s", len(raw), type(exc).__name__, exc_info=True)
        return _unusable(raw, f"unparseable message: {type(exc).__name__}")


def _unusable(raw: bytes, problem: str) -> ParsedMail:
    return ParsedMail(message_id=synthetic_message_id(raw), synthetic_message_id=True, from_address=None,
                      from_name=None, reply_to=None, recipients=(), subject="", in_reply_to=None,
                      references=(), date=None, body="", text="", html_only=False, attachments=(),
                      auth_results=(), headers=(), size=len(raw), problem=problem)


def _parse(raw: bytes, *, max_bytes: int | None, trusted: Collection[str] | None) -> ParsedMail:
    if not raw.strip():
        return _unusable(raw, "empty message")
    oversized = max_bytes is not None and len(raw) > max_bytes
    parser = BytesHeaderParser(policy=policy.default) if oversized else BytesParser(policy=policy.default)
    msg = parser.parsebytes(raw)
    headers = _raw_headers(msg)
    if not headers:
        return _unusable(raw, "no headers: not an e-mail message")
    message_id = clean_message_id(next(iter(_values(headers, "message-id")), None))
    senders = _addresses(_values(headers, "from")) or _addresses(_values(headers, "sender"))
    from_address, from_name = senders[0] if senders else (None, None)
    reply_to = next((a for a, _ in _addresses(_values(headers, "reply-to"))), None)
    recipients: list[str] = []
    for name in _RECIPIENT_HEADERS:
        recipients.extend(a for a, _ in _addresses(_values(headers, name)))
    subject = header_text(_decoded(next(iter(_values(headers, "subject")), "")), limit=998)
    parents = [m for m in (clean_message_id(x) for x in
                           _MSGID_TOKEN.findall(" ".join(_values(headers, "in-reply-to")))) if m]
    in_reply_to = parents[0] if parents else None
    refs = [m for m in (clean_message_id(x) for x in
                        _MSGID_TOKEN.findall(" ".join(_values(headers, "references")))) if m]
    body, html_only, attachments = ("", False, []) if oversized else _body(msg)
    text = strip_reply(body) if body else ""
    bounce = None
    if not oversized:
        try:
            bounce = is_bounce(msg, sender=from_address, subject=subject, body_text=body)
        except Exception:  # a malformed report is still a message; just not a bounce
            logger.debug("could not read a delivery report", exc_info=True)
    problem = None if from_address is not None else "no usable sender address"
    return ParsedMail(
        message_id=message_id or synthetic_message_id(raw), synthetic_message_id=message_id is None,
        from_address=from_address, from_name=from_name, reply_to=reply_to,
        recipients=tuple(dict.fromkeys(recipients)), subject=subject, in_reply_to=in_reply_to,
        references=tuple(dict.fromkeys(refs[-50:])), date=_date(_values(headers, "date")), body=body,
        text=text, html_only=html_only, attachments=tuple(attachments),
        auth_results=_auth_results(_values(headers, "authentication-results"), trusted),
        headers=tuple(headers), size=len(raw), ticket_reference=parse_reference(subject), bounce=bounce,
        oversized=oversized, problem=problem)
