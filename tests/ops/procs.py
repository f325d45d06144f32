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


async def run_bot(*args: str, env: Mapping[str, str], timeout: float = 60.0,
                  cwd: Path | None = None) -> tuple[int, str, str]:
    """Run one command to completion without blocking the test's event loop (its servers keep serving)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=dict(env),
                                                cwd=str(cwd or PROJECT), stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
