"""Long-running processes: the web app and the workers (outbox, mail in, Slack Socket Mode), stopped cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from bot.adapters.store import Store
from bot.config import Settings
from bot.filing import TicketFiler
from bot.knowledge_reload import KnowledgeHolder, restart_on_swap
from bot.service import Service

logger = logging.getLogger(__name__)

# Heroku-like hosts send SIGKILL 30 s after SIGTERM; in-flight work gets most of that.
SHUTDOWN_SECONDS = 25.0


@dataclass
class Parts:
    """What every process shares: settings, the indexed policies (reloadable), the store and the service."""

    settings: Settings
    knowledge: KnowledgeHolder
    store: Store
    service: Service
    filer: TicketFiler
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)


async def build_parts(settings: Settings) -> Parts:
    knowledge = KnowledgeHolder.load(settings.knowledge_dir)
    store = await Store.open(settings.effective_database_url)
    filer = TicketFiler(store, mail_from=settings.mail_from, orgs=knowledge.by_id)
    # Every channel answers through the Service, which reads the holder's current knowledge per question.
    return Parts(settings, knowledge, store, Service(knowledge, filer), filer)


def build_web_app(parts: Parts) -> web.Application:
    """The one aiohttp app: /ask, /api/ask, /staff/, /healthz, /readyz, and /slack/events when configured."""
    from bot.adapters.web.app import build_app
    from bot.readiness import add_readiness

    settings = parts.settings
    app = build_app(settings=settings, service=parts.service, store=parts.store, mailer=parts.filer,
                    organisations=parts.knowledge.organisations)
    add_readiness(app, parts.store, settings, tasks=parts.tasks, knowledge=parts.knowledge.status)
    if settings.slack_bot_token and settings.slack_signing_secret and not settings.slack_app_token:
        from bot.adapters.slack.routes import mount_slack
        from bot.adapters.slack.store_state import StoreSlackState

        mount_slack(app, service=parts.service, state=StoreSlackState(parts.store), settings=settings,
                    orgs=parts.knowledge.names)
    return app


def worker_jobs(parts: Parts, stop: asyncio.Event) -> dict[str, Callable[[], Awaitable[None]]]:
    """The background loops this configuration asks for, by name."""
    from bot.adapters.mail_out import run_sender
    from bot.mail_pipeline import run_pipeline
    from bot.reminders import run_reminders

    settings, store, service, knowledge = parts.settings, parts.store, parts.service, parts.knowledge
    jobs: dict[str, Callable[[], Awaitable[None]]] = {
        "outbox": lambda: run_sender(store, settings, stop),
        # Routing by inbox address needs the current organisations: the pipeline finishes its batch and
        # starts again over the new knowledge when it is swapped in.
        "mail-pipeline": lambda: restart_on_swap(
            lambda local: run_pipeline(store, service, settings, local, metas=knowledge.metas), knowledge, stop),
        # Deadline reminders and the retention purge, hourly; each pass does only what is newly due and
        # reads the organisations then (a live view of the current knowledge).
        "reminders": lambda: run_reminders(store, settings, stop, metas=knowledge.organisations),
    }
    if settings.imap_url:
        from bot.adapters.mail_in.imap import run_imap_poller

        jobs["imap"] = lambda: run_imap_poller(store, service, settings, stop)
    if settings.slack_app_token and settings.slack_bot_token:
        from bot.adapters.slack.socket import run_socket_mode
        from bot.adapters.slack.store_state import StoreSlackState

        jobs["slack-socket"] = lambda: run_socket_mode(service=service, state=StoreSlackState(store),
                                                       settings=settings, orgs=knowledge.names, stop=stop)
    return jobs


async def run(settings: Settings, *, web_app: bool, workers: bool) -> int:
    """Run until SIGTERM/SIGINT, then stop taking work and finish or hand back what is in flight."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # Until the knowledge is loaded a reload has nothing to add; SIGHUP must not end the process meanwhile.
    loop.add_signal_handler(signal.SIGHUP, logger.info, "SIGHUP while starting: the knowledge is being loaded")
    parts = await build_parts(settings)
    reloads = _watch_knowledge(parts.knowledge, settings, stop)
    runner: web.AppRunner | None = None
    listener = None
    try:
        if workers:
            if settings.smtp_listen:
                from bot.adapters.mail_in.listener import start_listener

                listener = await start_listener(parts.store, settings,
                                                lmtp=settings.smtp_listen_protocol == "lmtp")
            for name, job in worker_jobs(parts, stop).items():
                parts.tasks[name] = asyncio.create_task(_guarded(name, job, stop), name=name)
        if web_app:
            # Prepared before the port opens: the first questions need not wait, and the event loop is
            # never held up by it while serving. Then the start-up objects leave the collector's scans.
            parts.knowledge.current.assistant.warm()
            gc.freeze()
            runner = web.AppRunner(build_web_app(parts), access_log=None, shutdown_timeout=10.0)
            await runner.setup()
            site = web.TCPSite(runner, settings.host, settings.port)
            await site.start()
            logger.info("web app listening on http://%s:%s/ (ask page: /ask, staff: /staff/)",
                        settings.host, settings.port)
        logger.info("running: %s", ", ".join((["web"] if web_app else []) + sorted(parts.tasks)) or "nothing")
        await stop.wait()
        logger.info("stopping: no new work is taken; in-flight work finishes or is handed back")
    finally:
        stop.set()
        loop.add_signal_handler(signal.SIGHUP, logger.info, "SIGHUP while stopping: no reload")
        for task in reloads:
            task.cancel()
        await _shutdown(parts, runner, listener)
    return 0


def _watch_knowledge(holder: KnowledgeHolder, settings: Settings, stop: asyncio.Event) -> set[asyncio.Task[object]]:
    """SIGHUP reloads the knowledge folder; so does a change the watch sees (KNOWLEDGE_WATCH_SECONDS)."""
    tasks: set[asyncio.Task[object]] = set()

    def reload(reason: str) -> None:
        # A failed reload logs its problems and keeps the old knowledge; it never raises here.
        task: asyncio.Task[object] = asyncio.create_task(holder.reload(reason), name="knowledge-reload")
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload, "SIGHUP")
    if settings.knowledge_watch_seconds > 0:
        watch = _guarded("knowledge-watch", lambda: holder.watch(stop, settings.knowledge_watch_seconds), stop)
        tasks.add(asyncio.create_task(watch, name="knowledge-watch"))
        logger.info("watching %s for policy edits every %d s (SIGHUP reloads at once)", holder.folder,
                    settings.knowledge_watch_seconds)
    return tasks


async def _guarded(name: str, job: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    """Restart a crashed loop after a pause, so one bad dependency does not stop the others."""
    delay = 1.0
    while not stop.is_set():
        try:
            await job()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("%s stopped with an error; restarting in %.0f s", name, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            delay = min(delay * 2, 60.0)


async def _shutdown(parts: Parts, runner: web.AppRunner | None, listener: object | None) -> None:
    async def stop_all() -> None:
        if listener is not None:
            await listener.stop()  # type: ignore[attr-defined]
        if runner is not None:
            await runner.cleanup()
        if parts.tasks:
            await asyncio.gather(*parts.tasks.values(), return_exceptions=True)

    try:
        await asyncio.wait_for(stop_all(), timeout=SHUTDOWN_SECONDS - 2)
    except TimeoutError:
        logger.warning("shutdown took too long; cancelling what is left (claims are released)")
        for task in parts.tasks.values():
            task.cancel()
        await asyncio.gather(*parts.tasks.values(), return_exceptions=True)
    finally:
        await parts.store.close()
        logger.info("stopped")
