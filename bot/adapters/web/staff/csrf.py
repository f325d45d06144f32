"""CSRF: one random token per session, required in every form post to /staff/ and /ask."""

from __future__ import annotations

import hmac
import logging
import secrets

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_session import get_session

logger = logging.getLogger(__name__)

CSRF_FIELD = "csrf_token"
_SESSION_KEY = "csrf"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Form pages only; JSON APIs and Slack's signed webhooks have their own defences.
PROTECTED_PREFIXES = ("/staff", "/ask")


async def csrf_token(request: web.Request) -> str:
    """The session's token, created on first use."""
    session = await get_session(request)
    token = session.get(_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[_SESSION_KEY] = token
    return token


async def rotate_csrf_token(request: web.Request) -> str:
    """A fresh token, e.g. on sign-in, so a token seen before sign-in is worthless after."""
    session = await get_session(request)
    token = secrets.token_urlsafe(32)
    session[_SESSION_KEY] = token
    return token


def _protected(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PROTECTED_PREFIXES)


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuses (403) a form post whose token is missing or does not match the session's."""
    if request.method in _UNSAFE and _protected(request.path):
        session = await get_session(request)
        expected = session.get(_SESSION_KEY)
        try:
            form = await request.post()
        except ValueError:
            form = None
        given = form.get(CSRF_FIELD) if form is not None else None
        if not (isinstance(expected, str) and expected and isinstance(given, str)
                and hmac.compare_digest(expected.encode(), given.encode())):
            logger.info("refused a form post without a valid CSRF token on %s", request.path)
            raise web.HTTPForbidden(text="This form has expired or did not come from this site. "
                                         "Go back, reload the page and try again.\n")
    return await handler(request)
