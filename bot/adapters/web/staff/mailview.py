"""An outbox message's raw bytes, shown to staff as headers and text exactly as sent."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage

from bot.adapters.web.staff.ports import OutboxRecord

_SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "Auto-Submitted")


@dataclass(frozen=True, slots=True)
class MailView:
    record: OutboxRecord
    headers: tuple[tuple[str, str], ...]
    body: str


def mail_view(record: OutboxRecord) -> MailView:
    """Headers and the plain-text body; a message that cannot be parsed is shown as its raw text."""
    try:
        message = email.message_from_bytes(record.raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        headers = tuple((name, str(message[name])) for name in _SHOWN_HEADERS if message[name] is not None)
        part = message.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else ""
        if not isinstance(body, str):
            body = ""
    except Exception:  # any malformed stored message is still shown, raw
        return MailView(record, (), record.raw.decode("utf-8", errors="replace"))
    return MailView(record, headers, body)
