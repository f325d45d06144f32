"""The real app served on 127.0.0.1 from its own thread and event loop, and a real headless Chromium."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from bot.adapters.store import Store
from bot.adapters.web import build_app
from bot.adapters.web.staff.backend import StoreBackend
from bot.config import Settings
from bot.filing import TicketFiler

from .rig import metas, real_service

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class LiveServer:
    """Selenium blocks, so the app runs in a thread of its own; ``call`` runs a coroutine there."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.database_url = database_url
        self.settings = replace(Settings(data_dir=data_dir, staff_secret_key="browser test secret"),
                                ask_rate_per_minute=1000)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="live-app", daemon=True)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.store: Store
        self.filer: TicketFiler
        self.backend: StoreBackend

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def start(self) -> None:
        self.thread.start()
        self.call(self._start())

    async def _start(self) -> None:
        self.store = await Store.open(self.database_url)
        self.filer = TicketFiler(self.store, mail_from="bot@privacy-bot.test", orgs={m.id: m for m in metas()})
        self.backend = StoreBackend(self.store, mailer=self.filer)
        app = build_app(settings=self.settings, service=real_service(), store=self.backend,
                        organisations=metas())
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._runner is not None:
            self.call(self._runner.cleanup())
            self.call(self.store.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def chromium(profile: Path, downloads: Path) -> Any:
    """Headless Chromium from the system packages; Selenium Manager is never asked to download anything."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver
