"""Settings.from_env: defaults, and precise errors that name the variable."""

from __future__ import annotations

import pytest

from bot.config import EMBEDDED_KNOWLEDGE, Settings
from bot.errors import ConfigError


def test_embedded_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.knowledge_dir == EMBEDDED_KNOWLEDGE
    assert settings.database_url is None
    assert settings.effective_database_url.startswith("sqlite:///")
    assert settings.smtp_url is None and settings.port == 8080


@pytest.mark.parametrize(
    ("name", "value", "phrase"),
    [
        ("PORT", "eighty", "whole number"),
        ("PORT", "70000", "between 0 and 65535"),
        ("SMTP_URL", "http://mail:25", "smtp://"),
        ("SMTP_URL", "smtp://", "must name a host"),
        ("DATABASE_URL", "mysql://x/y", "postgresql://"),
        ("IMAP_URL", "imap://host:notaport/INBOX", "not a valid URL"),
        ("SMTP_LISTEN", "2525", "host:port"),
        ("MAIL_FROM", "bot@x.org\r\nBcc: victim@x.org", "plain e-mail address"),
        ("SLACK_BOT_TOKEN", "abc", "xox"),
        ("LOG_LEVEL", "LOUD", "one of"),
        ("DEFAULT_ORG", "Centra Inc", "organisation id"),
        ("SMTP_LISTEN_PROTOCOL", "esmtp", "one of smtp, lmtp"),
        ("MAIL_AUTHSERV_IDS", "mx.example.org, not a host", "host names"),
        ("FORWARDED_ALLOW_IPS", "10.0.0.0/33", "IP addresses or networks"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str, phrase: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({name: value})
    assert caught.value.variable == name
    assert phrase in str(caught.value)
    assert str(caught.value).startswith(f"{name}: ")


def test_secrets_are_redacted() -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-secret", "SMTP_URL": "smtp://u:hunter2@mail:587",
                                  "STAFF_SECRET_KEY": "k" * 40})
    shown = " ".join(settings.redacted().values())
    assert "xoxb-secret" not in shown and "hunter2" not in shown and "k" * 40 not in shown
    assert "smtp://u:***@mail:587" in shown
