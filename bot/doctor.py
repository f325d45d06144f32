"""``doctor`` checks: the configuration, then each configured service reached for real (nothing is sent)."""

from __future__ import annotations

import asyncio
import difflib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.config import EMBEDDED_KNOWLEDGE, Settings, variable_names
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

CHECK_TIMEOUT = 15.0


class Verdict(StrEnum):
    OK = "ok"
    DEFAULT = "not configured"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class Finding:
    item: str
    verdict: Verdict
    detail: str = ""

    def line(self) -> str:
        return f"{self.item + ':':<12} {self.verdict.value}" + (f" ({self.detail})" if self.detail else "")


def exit_code(findings: list[Finding]) -> int:
    """Non-zero only when something configured does not work; embedded defaults alone pass."""
    return 1 if any(f.verdict is Verdict.FAILED for f in findings) else 0


async def diagnose(environ: Mapping[str, str]) -> list[Finding]:
    """Every finding, in a fixed order; a configuration error stops before any service is tried."""
    try:
        settings = Settings.from_env(environ)
    except ConfigError as exc:
        return [Finding("config", Verdict.FAILED, str(exc))]
    findings = [Finding("config", Verdict.OK, _config_summary(environ))]
    checks: list[tuple[str, Callable[[Settings], Awaitable[Finding]]]] = [
        ("knowledge", _knowledge), ("database", _database), ("smtp", _smtp), ("imap", _imap),
        ("slack", _slack),
    ]
    results = await asyncio.gather(*(_bounded(name, check, settings) for name, check in checks))
    findings += [_scrub(f, settings) for f in results]
    findings.append(_staff_mail(settings))
    return findings


async def _bounded(name: str, check: Callable[[Settings], Awaitable[Finding]], settings: Settings) -> Finding:
    try:
        return await asyncio.wait_for(check(settings), timeout=CHECK_TIMEOUT)
    except TimeoutError:
        return Finding(name, Verdict.FAILED, f"no answer within {CHECK_TIMEOUT:.0f} s")
    except Exception as exc:  # every failure becomes a plain line, never a traceback
        return Finding(name, Verdict.FAILED, _reason(exc))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def _scrub(finding: Finding, settings: Settings) -> Finding:
    """Secrets never reach the screen, even inside a library's error message."""
    detail = finding.detail
    for secret in _secrets(settings):
        detail = detail.replace(secret, "***")
    return Finding(finding.item, finding.verdict, detail)


def _secrets(settings: Settings) -> list[str]:
    from urllib.parse import unquote, urlsplit

    values = [settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token,
              settings.staff_secret_key]
    for url in (settings.database_url, settings.smtp_url, settings.imap_url):
        if url:
            password = urlsplit(url).password
            values += [password, unquote(password)] if password else []
    return [v for v in values if v and len(v) >= 3]


async def _knowledge(settings: Settings) -> Finding:
    from bot.adapters.knowledge_files import check_folder, policy_files

    folder = settings.knowledge_dir
    problems = await asyncio.to_thread(check_folder, folder)
    if problems:
        return Finding("knowledge", Verdict.FAILED, f"{len(problems)} problem(s) in {folder}, first: {problems[0]}; "
                                                    "see python -m bot check")
    count = len(policy_files(folder))
    where = "embedded policies" if folder == EMBEDDED_KNOWLEDGE else str(folder)
    return Finding("knowledge", Verdict.OK, f"{count} policies in {where}")


async def _database(settings: Settings) -> Finding:
    from pathlib import Path

    from bot.adapters.store.migrate import current_revisions, expected_heads

    url = settings.effective_database_url
    if not settings.database_url:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return Finding("database", Verdict.DEFAULT, f"embedded SQLite {path}, created on first start")
    heads = expected_heads()
    current = await current_revisions(url)
    where = settings.redacted().get("database_url") or "embedded SQLite"
    if current != heads and not settings.database_url:
        return Finding("database", Verdict.DEFAULT, f"embedded SQLite at {', '.join(current) or 'no revision'}; "
                                                    "brought up to date on the next start")
    if current != heads:
        return Finding("database", Verdict.FAILED, f"{where} is at {', '.join(current) or 'no revision'}, "
                                                   f"expected {', '.join(heads)}: run python -m bot migrate")
    return Finding("database", Verdict.OK, f"{where} reached, schema at {', '.join(current)}")


async def _smtp(settings: Settings) -> Finding:
    if not settings.smtp_url:
        return Finding("smtp", Verdict.DEFAULT, f"outgoing mail written as .eml files in {settings.outbox_dir}")
    import aiosmtplib

    from bot.adapters.mail_out import SmtpTarget

    target = SmtpTarget.from_url(settings.smtp_url)
    smtp = aiosmtplib.SMTP(hostname=target.hostname, port=target.port, username=target.username,
                           password=target.password, use_tls=target.implicit_tls,
                           start_tls=None if not target.implicit_tls else False, timeout=CHECK_TIMEOUT)
    # connect() greets (EHLO), upgrades with STARTTLS when offered and logs in when credentials are given.
    await smtp.connect()
    try:
        encrypted = smtp.get_transport_info("sslcontext") is not None
        tls = "TLS" if target.implicit_tls else "STARTTLS" if encrypted else "no TLS offered"
        login = ", logged in" if target.username else ""
    finally:
        await smtp.quit()
    return Finding("smtp", Verdict.OK, f"{target.hostname}:{target.port} answered ({tls}{login}); nothing sent")


async def _imap(settings: Settings) -> Finding:
    if not settings.imap_url:
        return Finding("imap", Verdict.DEFAULT, "no mailbox to poll; SMTP_LISTEN or `mail receive` take mail in")
    from bot.adapters.mail_in.imap_box import Mailbox, parse_imap_url

    target = parse_imap_url(settings.imap_url)
    box = Mailbox(target, None, timeout=CHECK_TIMEOUT)

    def probe() -> None:
        try:
            box.connect()
        finally:
            box.close()

    await asyncio.to_thread(probe)
    return Finding("imap", Verdict.OK, f"logged in to {target.host}:{target.port}, folder {target.folder} selected")


async def _slack(settings: Settings) -> Finding:
    if not settings.slack_bot_token:
        if settings.slack_signing_secret or settings.slack_app_token:
            return Finding("slack", Verdict.FAILED, "SLACK_BOT_TOKEN is missing (a signing secret or app token "
                                                    "is set without it)")
        return Finding("slack", Verdict.DEFAULT, "no Slack channel")
    if not settings.slack_signing_secret and not settings.slack_app_token:
        return Finding("slack", Verdict.FAILED, "set SLACK_SIGNING_SECRET (events over HTTP) or SLACK_APP_TOKEN "
                                                "(Socket Mode)")
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=int(CHECK_TIMEOUT))
    from slack_sdk.errors import SlackApiError

    try:
        answer = await client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        return Finding("slack", Verdict.FAILED, f"auth.test refused: {error or exc.response.status_code}")
    mode = "Socket Mode" if settings.slack_app_token else "HTTP events at /slack/events"
    return Finding("slack", Verdict.OK, f"auth.test ok: team {answer.get('team')}, bot user {answer.get('user_id')}; "
                                        f"{mode}")


def _staff_mail(settings: Settings) -> Finding:
    if settings.staff_email:
        return Finding("reminders", Verdict.OK, "daily digest to STAFF_EMAIL"
                       + (" and the Slack staff channel" if settings.slack_staff_channel else ""))
    if settings.slack_staff_channel:
        return Finding("reminders", Verdict.OK, "daily digest to the Slack staff channel")
    return Finding("reminders", Verdict.DEFAULT, "set STAFF_EMAIL to get deadline reminders")


_KNOWN = variable_names()
# Variables under these prefixes that we do not read are most likely misspelt ones of ours.
_OUR_PREFIXES = ("SLACK_", "SMTP_", "IMAP_", "MAIL_", "STAFF_", "KNOWLEDGE_", "REMINDER_", "RETENTION_", "ASK_",
                 "LOG_", "DATABASE_", "FORWARDED_")


def _config_summary(environ: Mapping[str, str]) -> str:
    """How many of our variables are set, and which set ones look like a misspelling of ours."""
    summary = f"{len([k for k in environ if k in _KNOWN])} variable(s) set"
    unknown = sorted(k for k in environ if k not in _KNOWN and k.startswith(_OUR_PREFIXES))
    for name in unknown:
        guess = difflib.get_close_matches(name, _KNOWN, n=1)
        summary += f"; {name} is not a setting" + (f" (did you mean {guess[0]}?)" if guess else "")
    return summary
