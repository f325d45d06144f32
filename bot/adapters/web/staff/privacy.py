"""``/staff/privacy``: staff look up, export (JSON download) or erase everything held about one person."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session

from bot.adapters.eml_files import remove_eml_copies
from bot.adapters.store import Store
from bot.adapters.store.person import Subject, erase_person, export_person, find_holdings, parse_subject
from bot.adapters.web.keys import SETTINGS, STORE
from bot.adapters.web.staff.auth import current_staff
from bot.errors import InvalidInput

logger = logging.getLogger(__name__)

PATH = "/staff/privacy"
PERSON_STORE = web.AppKey("person_store", Store)


def add_privacy_routes(app: web.Application) -> None:
    """Mount the pages when the staff pages run over the real ``Store`` (not over a test double)."""
    store = getattr(app[STORE], "_store", None) if STORE in app else None
    if not isinstance(store, Store):
        return
    app[PERSON_STORE] = store
    app.router.add_get(PATH, privacy_page)
    app.router.add_post(PATH + "/lookup", lookup)
    app.router.add_post(PATH + "/export", export)
    app.router.add_post(PATH + "/erase", erase)


async def _page(request: web.Request, *, subject: str = "", found: object = None, error: str | None = None,
                confirm: bool = False, status: int = 200) -> web.Response:
    session = await get_session(request)
    flash = session.pop("flash", None)
    context = {"subject": subject, "found": found, "error": error, "confirm": confirm,
               "flash": flash if isinstance(flash, str) else None}
    return aiohttp_jinja2.render_template("staff/privacy.html", request, context, status=status)


async def privacy_page(request: web.Request) -> web.Response:
    current_staff(request)
    return await _page(request)


async def _subject(request: web.Request) -> tuple[Subject | None, str, str | None]:
    form = await request.post()
    raw = form.get("subject")
    text = raw.strip()[:320] if isinstance(raw, str) else ""
    try:
        return parse_subject(text), text, None
    except InvalidInput as exc:
        return None, text, str(exc).capitalize() + "."


async def lookup(request: web.Request) -> web.Response:
    current_staff(request)
    subject, text, error = await _subject(request)
    if subject is None:
        return await _page(request, subject=text, error=error, status=400)
    found = await find_holdings(request.app[PERSON_STORE], subject)
    return await _page(request, subject=subject.value, found=found)


async def export(request: web.Request) -> web.StreamResponse:
    staff = current_staff(request)
    subject, text, error = await _subject(request)
    if subject is None:
        return await _page(request, subject=text, error=error, status=400)
    document = await export_person(request.app[PERSON_STORE], subject)
    logger.info("staff member %d exported the data held about one %s subject (%d ticket(s))", staff.id,
                subject.kind, len(document["tickets"]))
    return web.Response(body=json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
                        content_type="application/json", headers={
                            "Content-Disposition": 'attachment; filename="person-export.json"',
                            "Cache-Control": "no-store"})


async def erase(request: web.Request) -> web.StreamResponse:
    staff = current_staff(request)
    subject, text, error = await _subject(request)
    if subject is None:
        return await _page(request, subject=text, error=error, status=400)
    store = request.app[PERSON_STORE]
    form = await request.post()
    if form.get("confirm") != "yes":
        # The confirmation step shows what would go; nothing changes until "yes" is posted.
        return await _page(request, subject=subject.value, found=await find_holdings(store, subject), confirm=True)
    summary = await erase_person(store, subject, actor=staff.display)
    await asyncio.to_thread(remove_eml_copies, request.app[SETTINGS].outbox_dir, summary.message_ids)
    logger.info("staff member %d erased the data held about one %s subject (%d ticket(s))", staff.id,
                subject.kind, len(summary.tickets))
    session = await get_session(request)
    refs = ", ".join(summary.tickets) or "no tickets"
    session["flash"] = (f"Erased: {refs}; {summary.outbox} other mail(s), {summary.inbound} inbound message(s), "
                        f"{summary.state} conversation entr(ies). Each ticket's audit log records it.")
    raise web.HTTPSeeOther(PATH)
