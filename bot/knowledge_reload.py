"""Knowledge reload without restart: one holder every channel reads, swapped whole on SIGHUP or a file watch."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar, overload

from bot.adapters.knowledge_files import KnowledgeProblems, policy_files
from bot.core.assistant import Assistant
from bot.core.models import Answer, PolicyMeta
from bot.runtime import build_assistant

logger = logging.getLogger(__name__)

V = TypeVar("V")
# What the watch compares between polls: each policy file's name, modification time and size.
Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Knowledge:
    """One loaded, indexed and warmed knowledge folder; never changed after it is built."""

    assistant: Assistant
    metas: tuple[PolicyMeta, ...]
    passages: int
    loaded_at: datetime


def fingerprint(folder: Path) -> Fingerprint:
    """The policy files' names, mtimes and sizes; an unreadable folder gives an empty fingerprint."""
    try:
        files = policy_files(folder)
        return tuple((p.name, (s := p.stat()).st_mtime_ns, s.st_size) for p in files)
    except OSError:
        return ()


def load_knowledge(folder: Path, *, warm: bool = True) -> Knowledge:
    """Load, validate, index and (by default) warm ``folder``; raises KnowledgeError listing every problem."""
    assistant = build_assistant(folder)
    if warm:
        assistant.warm()
    policies = assistant.policies
    return Knowledge(assistant, tuple(p.meta for p in policies),
                     sum(assistant.passage_count(p.id) for p in policies), datetime.now(UTC))


class KnowledgeHolder:
    """The current ``Knowledge``, read through one reference; ``reload`` builds a new one and swaps it in.

    A caller that needs one knowledge across awaits keeps ``current``: a swap never changes an old one.
    """

    def __init__(self, folder: Path, knowledge: Knowledge) -> None:
        self.folder = folder
        self._current = knowledge
        self._seen = fingerprint(folder)
        self._lock = asyncio.Lock()
        self._swapped = asyncio.Event()
        self.reloads = 0
        self.error: str | None = None  # the last failed reload's problems, until a reload succeeds
        self.error_at: datetime | None = None

    @classmethod
    def load(cls, folder: Path) -> KnowledgeHolder:
        """At start: a broken folder raises (there is no old knowledge to keep serving); not yet warmed."""
        seen = fingerprint(folder)
        holder = cls(folder, load_knowledge(folder, warm=False))
        holder._seen = seen
        return holder

    @property
    def current(self) -> Knowledge:
        return self._current

    @property
    def metas(self) -> tuple[PolicyMeta, ...]:
        return self._current.metas

    @property
    def by_id(self) -> LiveByOrg[PolicyMeta]:
        """The current organisations by id, following every swap (ticket filing)."""
        return LiveByOrg(self, lambda meta: meta)

    @property
    def names(self) -> LiveByOrg[str]:
        """The current organisations' display names by id, following every swap (Slack menus)."""
        return LiveByOrg(self, lambda meta: meta.name)

    @property
    def organisations(self) -> LiveOrganisations:
        """A sequence of the current organisations that follows every swap (for the web app)."""
        return LiveOrganisations(self)

    def respond(self, text: str, *, org: str | None = None) -> Answer:
        """``Assistant.respond`` on the current knowledge (the ``Service``'s responder)."""
        return self._current.assistant.respond(text, org=org)

    def next_swap(self) -> asyncio.Event:
        """An event set when the next new knowledge is swapped in."""
        return self._swapped

    def status(self) -> dict[str, object]:
        """For ``/readyz``: what is loaded, and the last reload's error while the old knowledge serves."""
        now = self._current
        return {"organisations": len(now.metas), "passages": now.passages,
                "loaded_at": now.loaded_at.isoformat(timespec="seconds"), "reloads": self.reloads,
                "reload_error": self.error,
                "reload_error_at": self.error_at.isoformat(timespec="seconds") if self.error_at else None}

    async def reload(self, reason: str) -> bool:
        """Build new knowledge off the event loop and swap it in; on any problem keep the old one."""
        async with self._lock:
            started = time.perf_counter()
            seen = await asyncio.to_thread(fingerprint, self.folder)
            try:
                knowledge = await asyncio.to_thread(load_knowledge, self.folder)
            except KnowledgeProblems as exc:
                return self._failed(seen, reason, "\n".join(f"  {p}" for p in exc.problems))
            except Exception as exc:  # whatever goes wrong, the bot keeps answering from the old knowledge
                logger.exception("knowledge reload (%s) failed", reason)
                return self._failed(seen, reason, f"  {type(exc).__name__}: {exc}")
            self._current, self._seen = knowledge, seen
            self.reloads += 1
            self.error = self.error_at = None
            swapped, self._swapped = self._swapped, asyncio.Event()
            swapped.set()
            logger.info("knowledge reloaded (%s): %d organisations, %d passages in %.0f ms", reason,
                        len(knowledge.metas), knowledge.passages, (time.perf_counter() - started) * 1000)
            return True

    def _failed(self, seen: Fingerprint, reason: str, problems: str) -> bool:
        self._seen = seen  # the watch retries once the files change again, not every poll
        # /readyz is public: file names relative to the folder, not the deployment's paths.
        self.error = problems.strip().replace(f"{self.folder}/", "")
        self.error_at = datetime.now(UTC)
        logger.error("knowledge reload (%s) refused; still answering from the knowledge loaded at %s:\n%s",
                     reason, self._current.loaded_at.isoformat(timespec="seconds"), problems)
        return False

    async def watch(self, stop: asyncio.Event, interval: float) -> None:
        """Every ``interval`` seconds, reload when a policy file was added, removed or changed."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
                return
            except TimeoutError:
                pass
            now = await asyncio.to_thread(fingerprint, self.folder)
            if now != self._seen:
                await self.reload("files changed")


class LiveOrganisations(Sequence[PolicyMeta]):
    """The holder's current organisations, read afresh on every access."""

    def __init__(self, holder: KnowledgeHolder) -> None:
        self._holder = holder

    @overload
    def __getitem__(self, index: int) -> PolicyMeta: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PolicyMeta]: ...
    def __getitem__(self, index: int | slice) -> PolicyMeta | Sequence[PolicyMeta]:
        return self._holder.metas[index]

    def __len__(self) -> int:
        return len(self._holder.metas)

    def __iter__(self) -> Iterator[PolicyMeta]:
        return iter(self._holder.metas)


class LiveByOrg(Mapping[str, V]):
    """The holder's current organisations by id, each as ``pick(meta)``; rebuilt once per swap."""

    def __init__(self, holder: KnowledgeHolder, pick: Callable[[PolicyMeta], V]) -> None:
        self._holder = holder
        self._pick = pick
        self._built: tuple[Knowledge, dict[str, V]] | None = None

    def _now(self) -> dict[str, V]:
        current = self._holder.current
        if self._built is None or self._built[0] is not current:
            self._built = (current, {m.id: self._pick(m) for m in current.metas})
        return self._built[1]

    def __getitem__(self, key: str) -> V:
        return self._now()[key]

    def __len__(self) -> int:
        return len(self._now())

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())


async def restart_on_swap(job: Callable[[asyncio.Event], Awaitable[None]], holder: KnowledgeHolder,
                          stop: asyncio.Event) -> None:
    """Run ``job(stop)`` and, when knowledge is swapped in, stop it gently and run it again (it reads anew)."""
    while not stop.is_set():
        swapped = holder.next_swap()
        local = asyncio.Event()
        relay = asyncio.create_task(_either(stop, swapped, local))
        try:
            await job(local)
        finally:
            relay.cancel()
        if not swapped.is_set():
            return


async def _either(first: asyncio.Event, second: asyncio.Event, then: asyncio.Event) -> None:
    waiters = [asyncio.create_task(first.wait()), asyncio.create_task(second.wait())]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        then.set()
    finally:
        for waiter in waiters:
            waiter.cancel()
