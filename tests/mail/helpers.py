"""Builders for the e-mail channel tests: mail as people send it, the real assistant, Dovecot access."""

from __future__ import annotations

import os
import ssl
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.config import EMBEDDED_KNOWLEDGE
from bot.core.assistant import Assistant
from bot.core.models import PolicyMeta

IMAP_ENV = "TEST_IMAP_URL"
BOT_FROM = "privacy-bot@bot.example"

@lru_cache(maxsize=1)
def assistant() -> Assistant:
    from bot.runtime import build_assistant

    return build_assistant(EMBEDDED_KNOWLEDGE)


def metas() -> list[PolicyMeta]:
    return [p.meta for p in assistant().policies]


def make_mail(text: str = "How long do you keep my information?", *, to: str = "privacy@infentre.com",
              sender: str = "Anna Svensson <anna@example.se>", subject: str = "A question",
              message_id: str | None = None, headers: dict[str, str] | None = None,
              html: str | None = None) -> bytes:
    """A well-formed message as a person's mail program would send it (CRLF line ends)."""
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(idstring=uuid.uuid4().hex[:8], domain="example.se")
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg.as_bytes(policy=policy.SMTP)


def imap_server_url() -> str:
    url = os.environ.get(IMAP_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{IMAP_ENV} is not set: scripts/test starts Dovecot (scripts/dovecot) and sets it")
        pytest.skip(f"{IMAP_ENV} not set (run scripts/test, or scripts/dovecot start DIR)")
    return url


def imap_ca() -> Path:
    """The throw-away server's certificate; its folder also holds dovecot.conf and imaps_url."""
    ca = os.environ.get("TEST_IMAP_CA")
    if not ca:
        pytest.fail("TEST_IMAP_CA is not set: scripts/test exports the Dovecot certificate's path")
    return Path(ca)


def imap_ssl_context() -> ssl.SSLContext:
    """Trusts the throw-away server's self-signed certificate (TEST_IMAP_CA), nothing else."""
    return ssl.create_default_context(cafile=str(imap_ca()))


def with_folder(url: str, folder: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + folder, "", ""))


def connect_imap(url: str) -> Any:
    """A logged-in IMAPClient (STARTTLS, trusting only the test certificate) for the test's own checks."""
    from imapclient import IMAPClient

    parts = urlsplit(url)
    client = IMAPClient(parts.hostname, port=parts.port, ssl=False, timeout=30)
    client.starttls(imap_ssl_context())
    client.login(parts.username, parts.password)
    return client
