"""Logging set-up: plain text or JSON lines, carrying ids (ticket, event, message), never personal data."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType

# Fields a log call may attach with ``extra=``; anything else is left out of JSON lines.
CONTEXT_FIELDS = ("ticket", "event_id", "message_id", "org", "channel", "outbox_id", "status", "path")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def redacted_trace(exc_info: ExcInfo) -> list[str]:
    """Where an error happened (frames, exception types, causes) without what it said.

    Exception messages quote what they were given (an address that failed to parse, a row's values), so
    above DEBUG the operator gets the stack and the type, which is what finding the bug needs.
    """
    if exc_info[0] is None:
        return []
    lines: list[str] = []
    current: traceback.TracebackException | None = traceback.TracebackException(*exc_info, capture_locals=False)
    seen = 0
    while current is not None and seen < 5:
        for frame in current.stack:
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        lines.append(f"{current.exc_type.__module__ if current.exc_type else ''}."
                     f"{current.exc_type.__qualname__ if current.exc_type else 'Exception'} (message withheld)")
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if current is not None:
            lines.append("caused by / while handling:")
        seen += 1
    return lines


class RedactingText(logging.Formatter):
    """Plain text; tracebacks keep their frames but lose exception messages unless the level is DEBUG."""

    def __init__(self, *, debug: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._debug = debug

    def formatException(self, ei: ExcInfo) -> str:
        return super().formatException(ei) if self._debug else "\n".join(redacted_trace(ei))


class JsonLines(logging.Formatter):
    def __init__(self, *, debug: bool = False) -> None:
        super().__init__()
        self._debug = debug

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                data[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            data["error"] = record.exc_info[0].__name__
            data["trace"] = (self.formatException(record.exc_info).splitlines() if self._debug
                             else redacted_trace(record.exc_info))
        return json.dumps(data, ensure_ascii=False, default=str)


def configure(level: str = "INFO", fmt: str = "text") -> None:
    """Route the root logger to stderr; called once by the composition root."""
    handler = logging.StreamHandler(sys.stderr)
    debug = level == "DEBUG"
    handler.setFormatter(JsonLines(debug=debug) if fmt == "json" else RedactingText(debug=debug))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Third-party libraries log request bodies and addresses at DEBUG/INFO; keep them quieter.
    for noisy in ("aiohttp.access", "slack_bolt", "slack_sdk", "aiosmtplib", "mail.log", "sqlalchemy", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
