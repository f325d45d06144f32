"""The public ask page (``/ask``) and ``POST /api/ask``: dry runs of what the bot replies, rate-limited."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.adapters.web.keys import ASK_LIMITER, ORGANISATIONS, SERVICE
from bot.core.models import Answer, Channel, Inquiry, PolicyMeta
from bot.errors import BotError, UnknownOrganisation

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 4000


def client_key(request: web.Request) -> str:
    """The client a rate limit applies to: its address as our server sees it."""
    return request.remote or "unknown"


def _limited(request: web.Request) -> int | None:
    """Seconds to wait when this client is over its limit, else None (and one request is counted)."""
    limiter = request.app[ASK_LIMITER]
    key = client_key(request)
    if limiter.allow(key):
        return None
    return limiter.retry_after(key)


def _check_question(text: object, org: object, known: set[str]) -> tuple[str, str | None]:
    if not isinstance(text, str) or not text.strip():
        raise ValueError('"text" must be a non-empty string')
    if len(text) > MAX_QUESTION_CHARS:
        raise ValueError(f'"text" is longer than {MAX_QUESTION_CHARS} characters')
    if org is not None and not isinstance(org, str):
        raise ValueError('"org" must be an organisation id or null')
    org = org.strip() if isinstance(org, str) and org.strip() else None
    if org is not None and known and org not in known:
        raise ValueError(f'unknown organisation "{org[:60]}"; known: {", ".join(sorted(known))}')
    return text, org


def _answer(request: web.Request, text: str, org: str | None, channel: Channel) -> Answer:
    return request.app[SERVICE].answer(Inquiry(text=text, channel=channel, org=org))


async def api_ask(request: web.Request) -> web.Response:
    """``POST /api/ask`` {"text", "org"} -> the Answer JSON contract (issue 2); nothing is filed."""
    wait = _limited(request)
    if wait is not None:
        return web.json_response({"error": f"too many questions; try again in {wait} s"}, status=429,
                                 headers={"Retry-After": str(wait)})
    if request.content_type != "application/json":
        return web.json_response({"error": "send JSON with Content-Type: application/json"}, status=415)
    try:
        body: Any = json.loads(await request.text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return web.json_response({"error": f"malformed JSON: {exc}"}, status=400)
    if not isinstance(body, dict):
        return web.json_response({"error": 'send a JSON object like {"text": "...", "org": null}'},
                                 status=400)
    known = {m.id for m in request.app[ORGANISATIONS]}
    try:
        text, org = _check_question(body.get("text"), body.get("org"), known)
        answer = _answer(request, text, org, Channel.API)
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    except UnknownOrganisation as exc:
        return web.json_response({"error": str(exc), "known": list(exc.known)}, status=400)
    except BotError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response(answer.to_json(), dumps=lambda d: json.dumps(d, ensure_ascii=False))


def _page(request: web.Request, *, text: str = "", org: str | None = None, answer: Answer | None = None,
          error: str | None = None, status: int = 200) -> web.Response:
    metas: Sequence[PolicyMeta] = request.app[ORGANISATIONS]
    orgs = sorted(metas, key=lambda m: m.name.casefold())
    names = {m.id: m.name for m in orgs}
    context = {"orgs": orgs, "names": names, "text": text, "org": org or "", "answer": answer,
               "error": error}
    return aiohttp_jinja2.render_template("ask.html", request, context, status=status)


async def ask_page(request: web.Request) -> web.Response:
    """``GET /ask``: the question form (``?org=ID`` preselects an organisation, ``?text=`` fills it in)."""
    org = request.query.get("org")
    known = {m.id for m in request.app[ORGANISATIONS]}
    return _page(request, org=org if org in known else None, text=request.query.get("text", "")[:MAX_QUESTION_CHARS])


async def ask_submit(request: web.Request) -> web.Response:
    """``POST /ask``: the answer and citations exactly as a user would get them."""
    form = await request.post()
    raw_text, raw_org = form.get("text"), form.get("org")
    text = raw_text if isinstance(raw_text, str) else ""
    org_field = raw_org if isinstance(raw_org, str) else ""
    wait = _limited(request)
    if wait is not None:
        response = _page(request, text=text, org=org_field, status=429,
                         error=f"Too many questions from your address; try again in {wait} seconds.")
        response.headers["Retry-After"] = str(wait)
        return response
    known = {m.id for m in request.app[ORGANISATIONS]}
    try:
        text, org = _check_question(text, org_field or None, known)
        answer = _answer(request, text, org, Channel.WEB)
    except (ValueError, BotError) as exc:
        message = str(exc).replace('"text"', "The question")
        return _page(request, text=text, org=org_field, error=message, status=400)
    return _page(request, text=text, org=org_field, answer=answer)
