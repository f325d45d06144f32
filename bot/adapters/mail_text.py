"""Text out of MIME parts: charset repair, HTML to text, and cutting quoted history and signatures."""

from __future__ import annotations

import codecs
import logging
import re
from email.message import Message

logger = logging.getLogger(__name__)

# HTML bigger than this is cut before conversion: converting megabytes of markup costs seconds.
MAX_HTML_CHARS = 2_000_000
_LATIN1_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "iso8859-1", "l1", "us-ascii", "ascii",
                            "iso_8859-1", "cp819", "windows-1252", "cp1252"})


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes of a text part as text, whatever the label says.

    Swedish mail is often windows-1252 labelled ISO-8859-1 (or not labelled at all): the two agree except
    on 0x80-0x9F, where cp1252 has €, ’, “ ” and latin-1 only invisible controls, so cp1252 wins there.
    Undeclared 8-bit text is tried as UTF-8 first (a valid UTF-8 byte run is rarely anything else).
    """
    label = (charset or "").strip().strip('"').lower()
    if label in _LATIN1_LABELS:
        candidates = ["utf-8", "cp1252", "latin-1"] if label in {"us-ascii", "ascii"} else ["cp1252", "latin-1"]
    else:
        try:
            name = codecs.lookup(label).name if label else "utf-8"
        except (LookupError, ValueError):  # unknown, or junk such as an embedded NUL
            name = "utf-8"
        candidates = [name, "utf-8", "cp1252", "latin-1"] if name != "utf-8" else ["utf-8", "cp1252", "latin-1"]
    for encoding in dict.fromkeys(candidates):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", "replace")  # not reached: latin-1 decodes every byte


def part_text(part: Message) -> str:
    """The decoded text of one leaf part (transfer encoding undone, charset repaired)."""
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        data = payload
    else:
        raw = part.get_payload()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    charset = part.get_param("charset", header="content-type")
    text = decode_bytes(data, charset if isinstance(charset, str) else None)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def html_to_text(html: str) -> str:
    """Readable text from HTML (inscriptis keeps lists and table layout); never raises."""
    from inscriptis import get_text  # heavy (lxml): imported only when an HTML-only mail arrives

    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
    try:
        text = str(get_text(html))
    except Exception:  # hostile markup must not stop the mail; fall back to tag stripping
        logger.warning("HTML conversion failed; falling back to tag stripping", exc_info=True)
        text = re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", html))
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- quoted history and signatures -------------------------------------------------------------------

# A reply's quote header: English and Swedish clients (Gmail, Apple Mail, Outlook, Thunderbird).
_QUOTE_HEADER = re.compile(
    r"^\s*(On\s.{0,300}\bwrote:|Den\s[^\n]{0,100}\d[^\n]{0,200}\bskrev(\s[^:\n]{0,200})?:|"
    r"[^\n]{0,100}\d[^\n]{0,100}\sskrev\s[^\n]{0,200}@[^\n]{0,200}:|"
    r"Le\s.{0,300}\ba écrit\s?:|Am\s.{0,300}\bschrieb\s.{0,200}:)\s*$", re.IGNORECASE)
_QUOTE_HEADER_START = re.compile(r"^\s*(On|Den)\s", re.IGNORECASE)
_QUOTE_HEADER_END = re.compile(r"\b(wrote|skrev)(\s[^:\n]{0,200})?:\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(Original Message|Ursprungligt meddelande|Originalmeddelande|"
                       r"Ursprungligt e-postmeddelande)\s*-{2,}\s*$", re.IGNORECASE)
# A forward is what the sender wants handled: it is kept, not cut like quoted history.
_FORWARD = re.compile(r"^\s*(-{2,}\s*(Forwarded message|Vidarebefordrat meddelande)\s*-*|"
                      r"Begin forwarded message:|Vidarebefordrat brev:)\s*$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^\s*\*?(From|Från|Sent|Skickat|Date|Datum|To|Till|Cc|Kopia|Subject|Ämne)\*?:\s",
                          re.IGNORECASE)
_FROM_LINE = re.compile(r"^\s*\*?(From|Från)\*?:\s", re.IGNORECASE)
_RULE = re.compile(r"^\s*_{10,}\s*$")
_SIG_DELIMITER = re.compile(r"^-- ?$")
_DEVICE_SIG = re.compile(r"^\s*(Sent from my|Sent from Outlook|Get Outlook for|Skickat från min|"
                         r"Skickat från Outlook|Hämta Outlook för|Skickat från Mail för)\b", re.IGNORECASE)


def _header_block_at(lines: list[str], i: int) -> bool:
    """True when line ``i`` starts an Outlook-style quoted header block (From/Från + another field)."""
    if not _FROM_LINE.match(lines[i]):
        return False
    following = [ln for ln in lines[i + 1:i + 6] if ln.strip()]
    return sum(1 for ln in following[:4] if _HEADER_LINE.match(ln)) >= 2


def _cut_index(lines: list[str]) -> tuple[int, str] | None:
    skip_until = -1
    for i, line in enumerate(lines):
        if _FORWARD.match(line):
            skip_until = i + 6  # the forwarded message's own From/Date/Subject block
            continue
        if i <= skip_until:
            continue
        if _QUOTE_HEADER.match(line):
            return i, "quote"
        if (_QUOTE_HEADER_START.match(line) and i + 1 < len(lines)
                and _QUOTE_HEADER_END.search(lines[i + 1]) and not lines[i + 1].lstrip().startswith(">")):
            return i, "quote"
        if _ORIGINAL.match(line):
            return i, "forward"
        if _RULE.match(line) and i + 1 < len(lines) and _header_block_at(lines, i + 1):
            return i, "forward"
        if _header_block_at(lines, i):
            return i, "forward"
    return None


def _drop_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if _SIG_DELIMITER.match(line) and any(ln.strip() for ln in lines[:i]):
            lines = lines[:i]
            break
    while lines and (not lines[-1].strip() or _DEVICE_SIG.match(lines[-1])):
        lines = lines[:-1]
    return lines


def strip_reply(text: str) -> str:
    """The new part of a message: quoted history, "On … wrote:"/"Den … skrev:" and signatures removed.

    A line-based cut instead of email_reply_parser: that library treats any paragraph starting "-word"
    as a signature and runs a DOTALL regex over the whole body, which is quadratic on large mail.
    A message that is only a forwarded block (a cut at its first line) keeps the forwarded text, since
    that is what the sender wants handled.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _cut_index(lines)
    if cut is not None:
        index, kind = cut
        if any(ln.strip() for ln in lines[:index]) or kind == "quote":
            lines = lines[:index]
        else:
            rest = index + 1
            while rest < len(lines) and (not lines[rest].strip() or _HEADER_LINE.match(lines[rest])
                                         or _RULE.match(lines[rest])):
                rest += 1
            lines = lines[rest:]
    lines = [ln for ln in lines if not ln.lstrip().startswith(">")]
    return "\n".join(_drop_signature(lines)).strip()
