"""Work done after Slack has its acknowledgement: bounded concurrency, failures logged, drained on shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)
Work = Callable[[], Awaitable[None]]
Admit = Callable[[], Awaitable[bool]]


class Jobs:
    """Runs work in the background; ``drain()`` waits for every job still in flight.

    Slack re-sends an event not acknowledged within 3 s, so listeners only acknowledge and queue here.
    A job may have an ``admit`` step (claim it and record it durably) that runs on its own, smaller
    queue, so claims are never stuck behind slow work such as a reply waiting out a 429.
    """

    def __init__(self, *, concurrency: int = 16) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._admissions = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    def spawn(self, name: str, work: Work, *, admit: Admit | None = None) -> bool:
        """Queue ``work`` (run only if ``admit()`` says True); False once shutdown has begun."""
        if self._closed:
            logger.warning("Slack job %s refused: shutting down", name)
            return False
        task = asyncio.get_running_loop().create_task(self._run(name, work, admit), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, name: str, work: Work, admit: Admit | None) -> None:
        try:
            if admit is not None:
                async with self._admissions:
                    if not await admit():
                        return
            async with self._slots:
                await work()
        except asyncio.CancelledError:
            logger.warning("Slack job %s cancelled", name)
            raise
        except Exception:
            logger.exception("Slack job %s failed", name)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float | None = 30.0) -> None:
        """Refuse new work and wait for the work in flight; after ``timeout`` s cancel what is left."""
        self._closed = True
        if not self._tasks:
            return
        _done, left = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in left:
            task.cancel()
        if left:
            logger.error("Slack: %d job(s) still running after %.0f s were cancelled", len(left), timeout or 0)
            await asyncio.gather(*left, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until no job is in flight (tests and benchmarks), without refusing new work."""
        while self._tasks:
            await asyncio.gather(*set(self._tasks), return_exceptions=True)
