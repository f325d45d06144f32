"""Staff sign-in and sign-out, encrypted cookie sessions, throttling, and the signed-in guard."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from datetime import timedelta
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_session import get_session, new_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.adapters.web.keys import CLOCK, STORE
from bot.adapters.web.staff.csrf import rotate_csrf_token
from bot.adapters.web.staff.passwords import verify_password_async
from bot.adapters.web.staff.ports import StaffUser
from bot.config import Settings

logger = logging.getLogger(__name__)

MAX_FAILURES = 5  # wrong passwords within THROTTLE_WINDOW, per account and per client
THROTTLE_WINDOW = timedelta(minutes=15)
SESSION_SECONDS = 12 * 3600
COOKIE_NAME = "privacy_bot_session"
LOGIN_PATH = "/staff/login"
_STAFF: web.RequestKey[StaffUser] = web.RequestKey("staff", StaffUser)


def session_key(secret: str | None) -> bytes:
    """32 bytes for Fernet: derived from STAFF_SECRET_KEY, or random (sessions end on restart)."""
    if not secret:
        logger.warning("STAFF_SECRET_KEY is not set: using a random session key, so staff sessions end "
                       "when the process restarts and differ between processes")
        return os.urandom(32)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"privacy-bot", info=b"staff-session-cookie")
    return hkdf.derive(secret.encode("utf-8"))


def session_storage(settings: Settings) -> EncryptedCookieStorage:
    secure = bool(settings.public_url and settings.public_url.startswith("https://"))
    key = Fernet(base64.urlsafe_b64encode(session_key(settings.staff_secret_key)))
    return EncryptedCookieStorage(key, cookie_name=COOKIE_NAME, max_age=SESSION_SECONDS, httponly=True,
                                  samesite="Strict", secure=secure or None)


def password_mark(user: StaffUser) -> str:
    """A short fingerprint of the password hash kept in the session: a new password ends old sessions."""
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def signed_in_staff(request: web.Request) -> StaffUser | None:
    """The staff member the guard let through, or None on public pages."""
    return request.get(_STAFF)


def current_staff(request: web.Request) -> StaffUser:
    """The signed-in staff member (the guard has put it on the request)."""
    user = request.get(_STAFF)
    if not isinstance(user, StaffUser):
        raise web.HTTPFound(LOGIN_PATH)
    return user


def safe_next(value: object) -> str:
    """Where to go after sign-in: only a path inside /staff/ on this site, never elsewhere."""
    if not isinstance(value, str) or value == LOGIN_PATH or any(c in value for c in "\\\r\n"):
        return "/staff/"
    if value == "/staff" or value.startswith(("/staff/", "/staff?")):
        return value
    return "/staff/"


@web.middleware
async def staff_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every /staff/ page but the sign-in page needs a signed-in, enabled staff account."""
    path = request.path
    if (path == "/staff" or path.startswith("/staff/")) and path != LOGIN_PATH:
        session = await get_session(request)
        user_id = session.get("staff_id")
        user = await request.app[STORE].staff_by_id(user_id) if isinstance(user_id, int) else None
        if user is None or user.disabled or session.get("pw") != password_mark(user):
            if user_id is not None:
                session.invalidate()
            target = request.path_qs if request.method == "GET" else "/staff/"
            raise web.HTTPSeeOther(f"{LOGIN_PATH}?next={quote(target, safe='/')}")
        request[_STAFF] = user
    return await handler(request)


async def login_page(request: web.Request) -> web.StreamResponse:
    session = await get_session(request)
    if isinstance(session.get("staff_id"), int):
        user = await request.app[STORE].staff_by_id(session["staff_id"])
        if user is not None and not user.disabled and session.get("pw") == password_mark(user):
            raise web.HTTPSeeOther(safe_next(request.query.get("next")))
    return _login_form(request, next_path=safe_next(request.query.get("next")))


def _login_form(request: web.Request, *, next_path: str, email: str = "", error: str | None = None,
                status: int = 200) -> web.Response:
    context = {"next": next_path, "email": email, "error": error}
    return aiohttp_jinja2.render_template("staff/login.html", request, context, status=status)


async def login_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    email = str(form.get("email") or "").strip().casefold()[:320]
    password = str(form.get("password") or "")
    next_path = safe_next(form.get("next"))
    store, now = request.app[STORE], request.app[CLOCK]()
    keys = (f"account:{email}", f"client:{request.remote or 'unknown'}")
    since = now - THROTTLE_WINDOW
    throttled_message = ("Too many wrong passwords. Sign-in is paused for this account and this "
                         f"computer; try again in {int(THROTTLE_WINDOW.total_seconds() // 60)} minutes.")
    for key in keys:
        if await store.count_login_failures(key, since=since) >= MAX_FAILURES:
            logger.info("sign-in refused: throttled after %d failures", MAX_FAILURES)
            return _login_form(request, next_path=next_path, email=email, error=throttled_message,
                               status=429)
    user = await store.staff_by_email(email) if email else None
    usable_hash = user.password_hash if user is not None and not user.disabled else None
    ok = await verify_password_async(usable_hash, password)
    if not ok or user is None:
        await store.record_login_failure(keys, at=now)
        logger.info("failed staff sign-in")
        if any([await store.count_login_failures(k, since=since) >= MAX_FAILURES for k in keys]):
            return _login_form(request, next_path=next_path, email=email, error=throttled_message,
                               status=429)
        return _login_form(request, next_path=next_path, email=email, status=401,
                           error="Wrong e-mail address or password.")
    await store.clear_login_failures(keys[0])
    session = await new_session(request)  # a fresh session: nothing from before sign-in carries over
    session["staff_id"] = user.id
    session["pw"] = password_mark(user)
    await rotate_csrf_token(request)
    logger.info("staff member %d signed in", user.id)
    raise web.HTTPSeeOther(next_path)


async def logout(request: web.Request) -> web.StreamResponse:
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPSeeOther(LOGIN_PATH)
