"""Safe header values from untrusted input: single-line text, plain addresses, Message-IDs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.errors import InvalidInput

MAX_SUBJECT = 200
MAX_HEADER = 400
# RFC 5321 4.5.3.1.3: a path is at most 256 octets, so an address at most 254.
MAX_ADDRESS = 254

_SPACES = re.compile(r"\s+")


def header_text(value: str | None, *, limit: int = MAX_HEADER) -> str:
    """One safe header line from user input: no CR/LF or other control or separator characters.

    Every line break (CR, LF, VT, FF, NEL, U+2028/2029) and control character becomes a space, so a
    value can never end its header and start another; runs of white space collapse; long values are cut.
    RFC 2047 encoded-word openers "=?" are broken up too: the std ``email`` package (3.11) decodes
    encoded words in a header value it is given and would then emit an encoded CR LF raw, starting a
    new header ("=?utf-8?q?x=0D=0ABcc:...?=").
    """
    if not value:
        return ""
    cleaned = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} or ch.isspace() else ch
                      for ch in value)
    cleaned = _SPACES.sub(" ", cleaned).strip().replace("=?", "= ?")
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


_LOCAL_OK = set("!#$%&'*+-/=?^_`{|}~.")
_MSGID = re.compile(r"^<[^<>\s@]+@[^<>\s@]+>$")
_MSGID_CHARS = set("!#$%&'*+-/=?^_`{|}~.@<>")


def clean_address(value: str | None) -> str | None:
    """A plain ``local@domain`` address, or None when ``value`` is not exactly one safe address.

    Stricter than RFC 5322 on purpose: no display names, quotes, comments, groups, lists or white
    space, so the value can go into To/Reply-To and the SMTP envelope without any quoting.
    """
    if not value:
        return None
    addr = value.strip()
    if addr.startswith("<") and addr.endswith(">"):
        addr = addr[1:-1].strip()
    # "=?" would let the std email package decode an encoded word inside the address (see header_text).
    if not addr or len(addr) > MAX_ADDRESS or addr.count("@") != 1 or "=?" in addr:
        return None
    local, domain = addr.split("@")
    if not local or len(local) > 64 or local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    if any(not (ch.isalnum() or ch in _LOCAL_OK) for ch in local):
        return None
    labels = domain.split(".")
    if len(labels) < 2 and domain.lower() != "localhost":
        return None
    for label in labels:
        if not label or len(label) > 63 or label.startswith("-") or label.endswith("-"):
            return None
        if any(not (ch.isalnum() or ch == "-") for ch in label):
            return None
    return f"{local}@{domain.lower()}"


def require_address(value: str | None, *, what: str) -> str:
    """``clean_address`` or ``InvalidInput`` naming what the address was for."""
    addr = clean_address(value)
    if addr is None:
        raise InvalidInput(f"{what}: not a usable e-mail address: {header_text(value, limit=80)!r}")
    return addr


def clean_message_id(value: str | None) -> str | None:
    """A single ``<id@domain>`` Message-ID fit for In-Reply-To/References, or None."""
    text = header_text(value, limit=MAX_HEADER)
    if not text:
        return None
    if not text.startswith("<"):
        text = f"<{text}>"
    if not _MSGID.match(text) or not all(ch.isascii() and (ch.isalnum() or ch in _MSGID_CHARS) for ch in text):
        return None
    return text


def threading_headers(in_reply_to: str | None, references: Sequence[str] = ()) -> tuple[tuple[str, str], ...]:
    """In-Reply-To and References for a reply to ``in_reply_to``; invalid ids are dropped."""
    parent = clean_message_id(in_reply_to)
    if parent is None:
        return ()
    refs = [r for r in (clean_message_id(x) for x in references) if r is not None and r != parent]
    # RFC 5322 3.6.4: References = the parent's References followed by the parent's Message-ID.
    chain = [*refs[-9:], parent]
    return (("In-Reply-To", parent), ("References", " ".join(chain)))


def tagged_subject(reference: str, text: str) -> str:
    """"[DSR-2026-00042] text", single line and bounded."""
    return header_text(f"[{reference}] {text}", limit=MAX_SUBJECT)


def message_domain(mail_from: str) -> str:
    """Our Message-IDs' domain (the sender address's), so mail coming back can be recognised as ours."""
    return mail_from.rpartition("@")[2] or "privacy-bot.invalid"
