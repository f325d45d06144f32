"""Settings read once from the environment, with errors that name the variable and what is wrong."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_KNOWLEDGE = PROJECT_ROOT / "knowledge"
_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HOST_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")
_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; secrets have no defaults and are never logged (see ``redacted``)."""

    knowledge_dir: Path = EMBEDDED_KNOWLEDGE
    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    database_url: str | None = None
    smtp_url: str | None = None
    mail_from: str = "privacy-bot@localhost"
    imap_url: str | None = None
    smtp_listen: str | None = None
    max_mail_bytes: int = 10 * 1024 * 1024
    default_org: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_default_org: str | None = None
    slack_staff_channel: str | None = None
    staff_secret_key: str | None = None
    staff_email: str | None = None
    log_level: str = "INFO"
    log_format: str = "text"
    retention_months: int = 24
    ask_rate_per_minute: int = 30
    reminder_ack_days: int = 7
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    knowledge_watch_seconds: int = 5  # poll the knowledge folder for edits this often; 0: only on SIGHUP
    forwarded_allow_ips: tuple[str, ...] = ()  # reverse proxies whose X-Forwarded-For is believed; "*" = any
    mail_authserv_ids: tuple[str, ...] = ()  # our receiving servers' Authentication-Results ids; () = the topmost
    smtp_listen_protocol: str = "smtp"  # or "lmtp" (RFC 2033), for a mail server that delivers by LMTP

    @property
    def effective_database_url(self) -> str:
        """``DATABASE_URL`` or the embedded SQLite file under the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'privacy-bot.sqlite3').resolve()}"

    @property
    def outbox_dir(self) -> Path:
        """Where outgoing mail is written as ``.eml`` files when no SMTP server is configured."""
        return self.data_dir / "outbox"

    def redacted(self) -> dict[str, str]:
        """Settings fit for a log line or ``doctor``: secrets and passwords in URLs masked."""
        out: dict[str, str] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if value is None:
                continue
            text = str(value)
            if name in _SECRETS:
                text = "***"
            elif name.endswith("_url") and "@" in text:
                text = _mask_password(text)
            out[name] = text
        return out

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read and validate every variable; the first problem raises ``ConfigError``."""
        env = _Env(environ)
        return cls(
            knowledge_dir=env.path("KNOWLEDGE_DIR", EMBEDDED_KNOWLEDGE),
            data_dir=env.path("DATA_DIR", Path("data")),
            host=env.text("HOST", "127.0.0.1"),
            port=env.integer("PORT", 8080, low=0, high=65535),
            public_url=env.url("PUBLIC_URL", ("http", "https")),
            database_url=env.url("DATABASE_URL", ("sqlite", "postgresql", "postgres", "postgresql+asyncpg")),
            smtp_url=env.url("SMTP_URL", ("smtp", "smtps"), needs_host=True),
            mail_from=env.address("MAIL_FROM", "privacy-bot@localhost"),
            imap_url=env.url("IMAP_URL", ("imap", "imaps"), needs_host=True),
            smtp_listen=env.host_port("SMTP_LISTEN"),
            max_mail_bytes=env.integer("MAX_MAIL_BYTES", 10 * 1024 * 1024, low=1024, high=1 << 31),
            default_org=env.org("DEFAULT_ORG"),
            slack_bot_token=env.optional("SLACK_BOT_TOKEN", prefix="xox"),
            slack_signing_secret=env.optional("SLACK_SIGNING_SECRET"),
            slack_app_token=env.optional("SLACK_APP_TOKEN", prefix="xapp-"),
            slack_api_url=_with_slash(env.url("SLACK_API_URL", ("http", "https"), needs_host=True)
                                      or "https://slack.com/api/"),
            slack_default_org=env.org("SLACK_DEFAULT_ORG"),
            slack_staff_channel=env.optional("SLACK_STAFF_CHANNEL"),
            staff_secret_key=env.optional("STAFF_SECRET_KEY"),
            staff_email=env.optional_address("STAFF_EMAIL"),
            log_level=env.choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
            log_format=env.choice("LOG_FORMAT", "text", ("text", "json")),
            retention_months=env.integer("RETENTION_MONTHS", 24, low=1, high=1200),
            ask_rate_per_minute=env.integer("ASK_RATE_PER_MINUTE", 30, low=1, high=100_000),
            reminder_ack_days=env.integer("REMINDER_ACK_DAYS", 7, low=1, high=365),
            slack_client_id=env.optional("SLACK_CLIENT_ID"),
            slack_client_secret=env.optional("SLACK_CLIENT_SECRET"),
            knowledge_watch_seconds=env.integer("KNOWLEDGE_WATCH_SECONDS", 5, low=0, high=86_400),
            forwarded_allow_ips=env.networks("FORWARDED_ALLOW_IPS"),
            mail_authserv_ids=env.names("MAIL_AUTHSERV_IDS"),
            smtp_listen_protocol=env.choice("SMTP_LISTEN_PROTOCOL", "smtp", ("smtp", "lmtp")),
        )


_SECRETS = frozenset({"slack_bot_token", "slack_signing_secret", "slack_app_token", "staff_secret_key",
                      "slack_client_secret"})


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _mask_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _is_network(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def variable_names() -> frozenset[str]:
    """Every environment variable the settings read (for ``doctor`` and the documentation test)."""
    asked: set[str] = set()

    class Recording(dict[str, str]):
        def get(self, key: str, default: object = None) -> None:  # type: ignore[override]
            asked.add(key)
            return None

    Settings.from_env(Recording())
    return frozenset(asked)


class _Env:
    """Typed readers over an environment mapping; empty values count as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def _get(self, name: str) -> str | None:
        value = self._environ.get(name)
        if value is None or not value.strip():
            return None
        return value.strip()

    def text(self, name: str, default: str) -> str:
        return self._get(name) or default

    def optional(self, name: str, *, prefix: str | None = None) -> str | None:
        value = self._get(name)
        if value is not None and prefix is not None and not value.startswith(prefix):
            raise ConfigError(name, f"must start with {prefix!r}")
        return value

    def path(self, name: str, default: Path) -> Path:
        value = self._get(name)
        return Path(value).expanduser() if value else default

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        value = self._get(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(name, f"must be a whole number, got {value!r}") from None
        if not low <= number <= high:
            raise ConfigError(name, f"must be between {low} and {high}, got {number}")
        return number

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self._get(name)
        if value is None:
            return default
        if value.upper() in allowed:
            return value.upper()
        if value.lower() in allowed:
            return value.lower()
        raise ConfigError(name, f"must be one of {', '.join(allowed)}, got {value!r}")

    def url(self, name: str, schemes: tuple[str, ...], *, needs_host: bool = False) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError as exc:
            raise ConfigError(name, f"is not a valid URL ({exc})") from None
        if parts.scheme not in schemes:
            raise ConfigError(name, f"must start with one of {', '.join(s + '://' for s in schemes)}")
        if needs_host and not parts.hostname:
            raise ConfigError(name, "must name a host, e.g. " + f"{schemes[0]}://host:port")
        return value

    def address(self, name: str, default: str) -> str:
        return self.optional_address(name) or default

    def optional_address(self, name: str) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        if not _ADDRESS.match(value):
            raise ConfigError(name, f"must be a plain e-mail address like bot@example.org, got {value!r}")
        return value

    def names(self, name: str) -> tuple[str, ...]:
        return self._listed(name, lambda item: bool(_HOST_NAME.match(item.lower())),
                            "host names separated by commas (e.g. mx.example.org)", fold=True)

    def networks(self, name: str) -> tuple[str, ...]:
        return self._listed(name, lambda item: item == "*" or _is_network(item),
                            "IP addresses or networks separated by commas (e.g. 127.0.0.1,10.0.0.0/8), "
                            "or * for any proxy")

    def _listed(self, name: str, valid: Callable[[str], bool], what: str, *, fold: bool = False) -> tuple[str, ...]:
        """A comma-separated list whose every item passes ``valid``; unset gives ()."""
        value = self._get(name)
        items = tuple(v.strip() for v in (value or "").split(",") if v.strip())
        for item in items:
            if not valid(item):
                raise ConfigError(name, f"must be {what}; got {item!r}")
        return tuple(i.lower() for i in items) if fold else items

    def host_port(self, name: str) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ConfigError(name, f"must be host:port, e.g. 127.0.0.1:2525, got {value!r}")
        return value

    def org(self, name: str) -> str | None:
        value = self._get(name)
        if value is not None and not _ORG_ID.match(value):
            raise ConfigError(name, f"must be an organisation id like 'centra', got {value!r}")
        return value
