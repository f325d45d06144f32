"""The web app: health, the ask API and page, and the staff pages, served by one aiohttp application."""

from bot.adapters.web.app import build_app

__all__ = ["build_app"]
