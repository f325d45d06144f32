"""``python -m bot doctor`` as a real process against real (and deliberately broken) services."""

from __future__ import annotations

import os
from typing import Any

import pytest
from slack.standin import BOT_TOKEN, SlackStandIn

from bot.adapters.store import migrate

from .procs import bot_env, run_bot


def lines(out: str) -> dict[str, str]:
    return {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in out.splitlines() if ":" in line}


async def test_embedded_defaults_alone_pass(tmp_path: Any) -> None:
    code, out, _ = await run_bot("doctor", env=bot_env({}, data_dir=tmp_path / "data"))
    found = lines(out)
    assert code == 0, out
    assert found["config"].startswith("ok") and found["knowledge"].startswith("ok (5 policies")
    for item in ("database", "smtp", "imap", "slack", "reminders"):
        assert found[item].startswith("not configured"), out


async def test_configured_services_are_reached_and_nothing_is_sent(tmp_path: Any, postgres_url: str,
                                                                  smtp_server: Any) -> None:
    await migrate(postgres_url)
    slack = SlackStandIn()
    await slack.start()
    extra = {"DATABASE_URL": postgres_url, "SMTP_URL": smtp_server.url, "SLACK_BOT_TOKEN": BOT_TOKEN,
             "SLACK_SIGNING_SECRET": "s3cret-signing", "SLACK_API_URL": slack.api_url,
             "STAFF_EMAIL": "staff@bot.test"}
    imap = os.environ.get("TEST_IMAP_URL")
    if imap:
        extra |= {"IMAP_URL": imap, "SSL_CERT_FILE": os.environ.get("TEST_IMAP_CA", "")}
    elif os.environ.get("CI"):
        pytest.fail("TEST_IMAP_URL is not set: scripts/test starts Dovecot")
    try:
        code, out, err = await run_bot("doctor", env=bot_env(extra, data_dir=tmp_path / "data"))
    finally:
        await slack.close()
    found = lines(out)
    assert code == 0, out + err
    assert found["database"].startswith("ok (") and "schema at 0001" in found["database"]
    assert found["smtp"].startswith("ok (127.0.0.1:") and "nothing sent" in found["smtp"]
    assert found["slack"].startswith("ok (auth.test ok")
    assert found["reminders"].startswith("ok")
    if imap:
        assert found["imap"].startswith("ok (logged in"), out
    assert smtp_server.messages == []
    assert len(slack.of("auth.test")) == 1 and not slack.of("chat.postMessage")
    assert "s3cret-signing" not in out + err and BOT_TOKEN not in out + err


async def test_broken_services_fail_plainly_without_secrets(tmp_path: Any, postgres_url: str,
                                                          free_port: int) -> None:
    slack = SlackStandIn()
    await slack.start()
    base, _, name = postgres_url.rpartition("/")
    scheme, _, rest = base.partition("://")
    user, _, host = rest.partition("@")
    with_password = f"{scheme}://{user}:pg-pass-123@{host}/{name}"  # trust auth ignores it; must not print
    extra = {"DATABASE_URL": with_password, "SMTP_URL": f"smtp://mailer:smtp-pass-456@127.0.0.1:{free_port}",
             "SLACK_BOT_TOKEN": "xoxb-wrong-token-789", "SLACK_SIGNING_SECRET": "x", "SLACK_API_URL": slack.api_url,
             "IMAP_URL": f"imap://bot:imap-pass-000@127.0.0.1:{free_port}/INBOX"}
    try:
        code, out, err = await run_bot("doctor", env=bot_env(extra, data_dir=tmp_path / "data"))
    finally:
        await slack.close()
    found = lines(out)
    assert code == 1
    assert found["database"].startswith("FAILED") and "python -m bot migrate" in found["database"]
    assert found["smtp"].startswith("FAILED") and str(free_port) in found["smtp"]
    assert found["imap"].startswith("FAILED")
    assert found["slack"].startswith("FAILED") and "invalid_auth" in found["slack"]
    assert "Traceback" not in out + err
    for secret in ("pg-pass-123", "smtp-pass-456", "xoxb-wrong-token-789", "imap-pass-000"):
        assert secret not in out + err


async def test_configuration_errors_name_the_variable(tmp_path: Any) -> None:
    code, out, _ = await run_bot("doctor", env=bot_env({"SMTP_URL": "http://x"}, data_dir=tmp_path / "data"))
    assert code == 1 and out.startswith("config:      FAILED (SMTP_URL: must start with one of smtp://")
    code, out, _ = await run_bot("doctor", env=bot_env({"SLACK_SIGNING_SECRET": "abc"}, data_dir=tmp_path / "d"))
    assert code == 1 and "SLACK_BOT_TOKEN is missing" in lines(out)["slack"]


async def test_a_misspelt_variable_is_pointed_out_without_failing(tmp_path: Any) -> None:
    code, out, _ = await run_bot("doctor", env=bot_env({"SLACK_BOT_TOKN": "xoxb-1", "RETENTION_MONTHS": "12"},
                                                       data_dir=tmp_path / "data"))
    assert code == 0, out
    assert lines(out)["config"].startswith("ok (2 variable(s) set; SLACK_BOT_TOKN is not a setting "
                                           "(did you mean SLACK_BOT_TOKEN?)"), out


def test_every_variable_the_settings_read_is_documented_in_env_example() -> None:
    from bot.config import PROJECT_ROOT, variable_names

    documented = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    missing = sorted(name for name in variable_names() if f"# {name}=" not in documented)
    assert not missing, f"not in .env.example: {missing}"
    assert {"SLACK_BOT_TOKEN", "DATABASE_URL", "FORWARDED_ALLOW_IPS"} <= variable_names()


async def test_an_unreachable_database_fails_without_its_password(tmp_path: Any, free_port: int) -> None:
    url = f"postgresql://bot:db-secret-42@127.0.0.1:{free_port}/privacybot"
    code, out, err = await run_bot("doctor", env=bot_env({"DATABASE_URL": url}, data_dir=tmp_path / "data"))
    assert code == 1 and lines(out)["database"].startswith("FAILED (")
    assert "db-secret-42" not in out + err and "Traceback" not in out + err


async def test_an_embedded_database_behind_the_head_still_passes(tmp_path: Any) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "privacy-bot.sqlite3").touch()  # exists, never migrated: the next start migrates it
    code, out, _ = await run_bot("doctor", env=bot_env({}, data_dir=data))
    assert code == 0 and lines(out)["database"].startswith("not configured (embedded SQLite at no revision")
