"""The staff pages' URLs: sign-in, the queue, one ticket and its actions, CSV export, the dashboard."""

from __future__ import annotations

from aiohttp import web

from bot.adapters.web.staff import auth, dashboard, export, privacy, queue, ticket


def add_staff_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/staff", queue.queue_page)
    router.add_get("/staff/", queue.queue_page)
    router.add_get("/staff/tickets", queue.queue_page)
    router.add_get("/staff/tickets/{ref}", ticket.ticket_page)
    router.add_post("/staff/tickets/{ref}/{action}", ticket.ticket_action)
    router.add_get("/staff/export.csv", export.export_csv)
    router.add_get("/staff/dashboard", dashboard.dashboard_page)
    router.add_get(auth.LOGIN_PATH, auth.login_page)
    router.add_post(auth.LOGIN_PATH, auth.login_submit)
    router.add_post("/staff/logout", auth.logout)
    privacy.add_privacy_routes(app)
