"""One ticket (``/staff/tickets/<REF>``) and its actions, each a confirmed, audited form post."""

from __future__ import annotations

import logging

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session

from bot.adapters.web.keys import CLOCK, STORE
from bot.adapters.web.staff.actions import ACTIONS, Action, available_actions, check_input
from bot.adapters.web.staff.auth import current_staff
from bot.adapters.web.staff.mailview import mail_view
from bot.adapters.web.staff.ports import StaffStore, TicketRecord
from bot.core.tickets import TERMINAL_STATUSES, Status, days_left, is_reference, urgency
from bot.errors import BotError

logger = logging.getLogger(__name__)


async def _load(request: web.Request) -> TicketRecord:
    reference = request.match_info["ref"].upper()
    ticket = await request.app[STORE].ticket(reference) if is_reference(reference) else None
    if ticket is None:
        raise web.HTTPNotFound(text="No ticket with this reference.\n")
    return ticket


async def _render(request: web.Request, ticket: TicketRecord, *, error: str | None = None,
                  status: int = 200) -> web.Response:
    store = request.app[STORE]
    today = request.app[CLOCK]().date()
    events = await store.ticket_events(ticket.reference)
    mails = [mail_view(m) for m in await store.ticket_outbox(ticket.reference)]
    left = days_left(ticket.deadline, today)
    session = await get_session(request)
    flash = session.pop("flash", None)
    context = {
        "t": ticket, "days_left": left, "urgency": urgency(left).value,
        "closed": Status(ticket.status) in TERMINAL_STATUSES,
        "events": events, "notes": [e for e in events if e.kind == "note"], "mails": mails,
        "actions": available_actions(ticket, today), "error": error,
        "flash": flash if isinstance(flash, str) else None,
    }
    return aiohttp_jinja2.render_template("staff/ticket.html", request, context, status=status)


async def ticket_page(request: web.Request) -> web.Response:
    return await _render(request, await _load(request))


async def ticket_action(request: web.Request) -> web.StreamResponse:
    ticket = await _load(request)
    action = ACTIONS.get(request.match_info["action"])
    if action is None:
        raise web.HTTPNotFound(text="No such action.\n")
    today = request.app[CLOCK]().date()
    if action not in available_actions(ticket, today):
        return await _render(request, ticket, status=409,
                             error=f"“{action.label}” is not possible for a {ticket.status} ticket.")
    form = await request.post()
    raw = form.get(action.field) if action.field else ""
    try:
        value = check_input(action, raw if isinstance(raw, str) else "", reference=ticket.reference)
    except ValueError as exc:
        return await _render(request, ticket, error=str(exc), status=400)
    if action.confirm and form.get("confirm") != "yes":
        context = {"t": ticket, "action": action, "value": value}
        return aiohttp_jinja2.render_template("staff/confirm.html", request, context)
    staff = current_staff(request)
    try:
        await _perform(request.app[STORE], action, ticket, value, actor=staff.display)
    except BotError as exc:
        return await _render(request, await _load(request), error=str(exc), status=409)
    logger.info("staff member %d: %s on %s", staff.id, action.name, ticket.reference)
    session = await get_session(request)
    session["flash"] = f"Done: {action.label.lower()}."
    raise web.HTTPSeeOther(f"/staff/tickets/{ticket.reference}")


async def _perform(store: StaffStore, action: Action, ticket: TicketRecord, value: str, *, actor: str) -> None:
    ref = ticket.reference
    match action.name:
        case "verify":
            await store.verify_identity(ref, actor=actor)
        case "resend":
            await store.resend_forward(ref, actor=actor)
        case "acknowledge":
            await store.change_status(ref, Status.ACKNOWLEDGED, actor=actor, reason=None)
        case "complete":
            await store.change_status(ref, Status.COMPLETED, actor=actor, reason=None)
        case "refuse":
            await store.change_status(ref, Status.REFUSED, actor=actor, reason=value)
        case "withdraw":
            await store.change_status(ref, Status.WITHDRAWN, actor=actor, reason=None)
        case "extend":
            await store.extend_deadline(ref, value, actor=actor)
        case "duplicate":
            await store.mark_duplicate(ref, value, actor=actor)
        case "route":
            await store.route_to(ref, value, actor=actor)
        case "note":
            await store.add_note(ref, value, actor=actor)
        case _:
            raise web.HTTPNotFound(text="No such action.\n")
