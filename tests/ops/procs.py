"""Running ``python -m bot ...`` as real subprocesses with a clean, explicit environment."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def bot_env(extra: Mapping[str, str], *, data_dir: Path) -> dict[str, str]:
    """Only what the bot needs: no variable leaks in from the developer's shell."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(data_dir), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(PROJECT), "DATA_DIR": str(data_dir), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


async def run_bot(*args: str, env: Mapping[str, str], timeout: float = 60.0, cwd: Path | None = None,
                  stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run one command to completion without blocking the test's event loop (its servers keep serving)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=dict(env),
                                                cwd=str(cwd or PROJECT), stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE,
                                                stdin=asyncio.subprocess.PIPE if stdin is not None else None)
    try:
        out, err = await asyncio.wait_for(proc.communicate(stdin), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def procfile() -> dict[str, list[str]]:
    """The Procfile's process types as argument lists, ``python`` being this interpreter."""
    commands: dict[str, list[str]] = {}
    for line in (PROJECT / "Procfile").read_text(encoding="utf-8").splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() and not name.startswith("#"):
            words = command.split()
            commands[name.strip()] = [sys.executable if words[0] == "python" else words[0], *words[1:]]
    return commands


class Proc:
    """One long-running process started from a Procfile command, its stderr kept in a file."""

    def __init__(self, name: str, argv: list[str], env: Mapping[str, str], log_dir: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = dict(env)
        self.log = log_dir / f"{name}.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> Proc:
        with self.log.open("ab") as stream:
            self.proc = await asyncio.create_subprocess_exec(*self.argv, env=self.env, cwd=str(PROJECT),
                                                             stdout=stream, stderr=stream)
        return self

    async def terminate(self, *, limit: float = 40.0) -> tuple[int, float]:
        """SIGTERM; returns (exit code, seconds it took to exit)."""
        assert self.proc is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.proc.terminate()
        try:
            code = await asyncio.wait_for(self.proc.wait(), limit)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise AssertionError(f"{self.name} did not exit within {limit} s of SIGTERM") from None
        return code, loop.time() - started

    async def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
