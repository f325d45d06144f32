"""Reply drafts to outbox mails: MIME bytes with a text part, its HTML alternative and a stable Message-ID."""

from __future__ import annotations

import secrets
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from bot.adapters.store import OutboxKind, OutgoingMail
from bot.core.mail_replies import ReplyDraft
from bot.core.mailheaders import message_domain


def reply_mail(draft: ReplyDraft, *, mail_from: str, date: datetime, id_hint: str = "reply") -> OutgoingMail:
    """The exact bytes to send (CRLF, policy.SMTP); the outbox keeps them so a retry sends the same mail."""
    msg = EmailMessage(policy=policy.default)
    msg["From"] = mail_from
    msg["To"] = ", ".join(draft.to)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(date)
    # Short enough that the header is never folded ("Message-ID: " + id within 78 characters).
    message_id = f"<{secrets.token_hex(8)}.{id_hint}@{message_domain(mail_from)}>"
    msg["Message-ID"] = message_id
    if draft.reply_to:
        msg["Reply-To"] = draft.reply_to
    for name, value in draft.headers:
        msg[name] = value
    msg.set_content(draft.text)
    msg.add_alternative(draft.html, subtype="html")
    return OutgoingMail(kind=OutboxKind.REPLY, message_id=message_id, mail_from=mail_from,
                        recipients=tuple(draft.to), raw=msg.as_bytes(policy=policy.SMTP))
