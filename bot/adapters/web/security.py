"""Middlewares every response passes through: security headers, and no stack trace ever leaks out."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

logger = logging.getLogger(__name__)

# Nothing inline, nothing from elsewhere: user text can never become script or style (issue 6).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def security_headers(*, https: bool) -> Middleware:
    """Adds the headers to every response, errors included; staff pages are never cached."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            _decorate(request, exc, https=https)
            raise
        _decorate(request, response, https=https)
        return response

    return middleware


def _decorate(request: web.Request, response: web.StreamResponse, *, https: bool) -> None:
    if response.prepared:
        return
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    if https:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith("/staff"):
        response.headers["Cache-Control"] = "no-store"


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """An unexpected error is logged with its trace and answered with a plain 500, never a crash."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        if request.path.startswith("/api/"):
            return web.json_response({"error": "internal error; it has been logged"}, status=500)
        return web.Response(status=500, text="Something went wrong on our side; it has been logged.\n")
