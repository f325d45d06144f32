"""The Procfile's process types and the release step (``python -m bot migrate``), run for real."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.store.migrate import current_revisions, expected_heads

from .procs import bot_env, procfile, run_bot


def test_procfile_declares_web_worker_and_release() -> None:
    commands = procfile()
    assert set(commands) == {"web", "worker", "release"}
    assert commands["web"][1:] == ["-m", "bot", "serve"]
    assert commands["worker"][1:] == ["-m", "bot", "worker"]
    assert commands["release"][1:] == ["-m", "bot", "migrate"]


async def test_release_migrates_to_every_head_and_is_repeatable(tmp_path: Path, postgres_url: str) -> None:
    env = bot_env({"DATABASE_URL": postgres_url}, data_dir=tmp_path / "data")
    release = procfile()["release"][3:]
    for _ in range(2):
        code, out, err = await run_bot(*release, env=env)
        assert code == 0, err
        assert f"is at revision {', '.join(expected_heads())}" in out
    assert await current_revisions(postgres_url) == expected_heads()


async def test_release_with_a_bad_database_url_fails_plainly(tmp_path: Path) -> None:
    env = bot_env({"DATABASE_URL": "mysql://x"}, data_dir=tmp_path / "data")
    code, _, err = await run_bot("migrate", env=env)
    assert code == 2 and "DATABASE_URL" in err and "Traceback" not in err
