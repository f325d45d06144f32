"""Security of the staff pages: inert user text, CSRF, sign-in guard, throttling, headers, cookies."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .rig import PASSWORD, STAFF_EMAIL, Web, WebFactory, token_in

SCRIPT = "<script>alert('xss')</script>"
ATTRIBUTE = '" onmouseover="alert(1)" x="'
IMG = "<img src=x onerror=alert(2)>"


async def test_script_and_attribute_injection_in_a_ticket_render_inert(signed_in: Web) -> None:
    filed = await signed_in.file(text=f"Delete my data {SCRIPT} {ATTRIBUTE} {IMG}",
                                 name=f"Eve {SCRIPT}{ATTRIBUTE}", address="eve@example.se")
    ref = filed.ticket.reference
    for path in (f"/staff/tickets/{ref}", "/staff/tickets", f"/staff/tickets?q={ref}"):
        response = await signed_in.client.get(path)
        assert response.status == 200
        html = await response.text()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert 'onmouseover="alert' not in html
        assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
        assert "&#34; onmouseover=&#34;alert(1)&#34;" in html
        # no script at all is ever inlined in our pages
        assert "<script" not in html.lower()
    page = await (await signed_in.client.get(f"/staff/tickets/{ref}")).text()
    original = re.search(r'<pre class="original" id="original">(.*?)</pre>', page, re.S)
    assert original and "&lt;img src=x onerror=alert(2)&gt;" in original.group(1)


async def test_a_form_post_without_csrf_token_is_refused_and_does_nothing(signed_in: Web) -> None:
    ref = (await signed_in.file()).ticket.reference
    for data in ({"reason": "no", "confirm": "yes"}, {"reason": "no", "confirm": "yes", "csrf_token": "forged"}):
        response = await signed_in.client.post(f"/staff/tickets/{ref}/refuse", data=data, allow_redirects=False)
        assert response.status == 403
    ticket = await signed_in.store.get_ticket(ref)
    assert ticket is not None and ticket.status.value == "new"
    assert (await signed_in.client.post("/staff/logout", allow_redirects=False)).status == 403
    assert (await signed_in.client.post("/staff/tickets/" + ref + "/note", data={"text": "x"})).status == 403


async def test_sign_in_itself_needs_the_csrf_token(web: Web) -> None:
    await web.add_staff()
    response = await web.client.post("/staff/login", data={"email": STAFF_EMAIL, "password": PASSWORD},
                                      allow_redirects=False)
    assert response.status == 403


async def test_ask_form_post_needs_the_csrf_token(web: Web) -> None:
    response = await web.client.post("/ask", data={"text": "How long do you keep my data?"})
    assert response.status == 403


STAFF_GETS = ("/staff", "/staff/", "/staff/tickets", "/staff/tickets?status=new", "/staff/tickets/DSR-2026-00001",
              "/staff/tickets/nonsense", "/staff/export.csv", "/staff/dashboard", "/staff/anything/else")


@pytest.mark.parametrize("path", STAFF_GETS)
async def test_every_staff_page_but_sign_in_redirects_when_signed_out(web: Web, path: str) -> None:
    await web.file()
    response = await web.client.get(path, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/staff/login?next=")
    body = await response.text()
    assert "DSR-" not in body and "Anna" not in body


async def test_staff_posts_redirect_when_signed_out_and_change_nothing(web: Web) -> None:
    ref = (await web.file()).ticket.reference
    token = await web.token("/staff/login")
    response = await web.client.post(f"/staff/tickets/{ref}/refuse", allow_redirects=False,
                                     data={"csrf_token": token, "reason": "no", "confirm": "yes"})
    assert response.status == 303 and response.headers["Location"].startswith("/staff/login")
    ticket = await web.store.get_ticket(ref)
    assert ticket is not None and ticket.status.value == "new"


async def test_sign_in_page_itself_is_public(web: Web) -> None:
    response = await web.client.get("/staff/login")
    assert response.status == 200
    assert 'type="password"' in await response.text()


async def test_five_wrong_passwords_throttle_the_account_even_with_the_right_one(make_web: WebFactory) -> None:
    web = await make_web()
    await web.add_staff()
    for attempt in range(4):
        response = await web.sign_in(password=f"wrong password {attempt}")
        assert response.status == 401
    fifth = await web.sign_in(password="wrong password 5")
    assert fifth.status == 429
    right = await web.sign_in()
    assert right.status == 429, "the right password must not get through while throttled"
    assert "Too many wrong passwords" in await right.text()
    # the failures are in the database: a second app (another process, a restart) is throttled too
    other = await make_web()
    assert (await other.sign_in()).status == 429
    web.clock.advance(minutes=16)
    assert (await web.sign_in()).status == 303


async def test_wrong_passwords_on_many_accounts_throttle_the_client(make_web: WebFactory) -> None:
    web = await make_web()
    await web.add_staff()
    for n in range(5):
        await web.sign_in(email=f"nobody{n}@example.org", password="guess guess guess")
    assert (await web.sign_in()).status == 429


async def test_sign_in_and_out(web: Web) -> None:
    await web.add_staff()
    response = await web.sign_in()
    assert response.status == 303 and response.headers["Location"] == "/staff/"
    queue = await web.client.get("/staff/")
    assert queue.status == 200 and "Alice Andersson" in await queue.text()
    token = token_in(await queue.text())
    assert (await web.client.post("/staff/logout", data={"csrf_token": token}, allow_redirects=False)).status == 303
    assert (await web.client.get("/staff/", allow_redirects=False)).status == 303


async def test_disabled_account_cannot_sign_in_or_stay_signed_in(signed_in: Web) -> None:
    assert (await signed_in.client.get("/staff/", allow_redirects=False)).status == 200
    await signed_in.backend.staff.set_staff_disabled(STAFF_EMAIL, True)
    assert (await signed_in.client.get("/staff/", allow_redirects=False)).status == 303
    assert (await signed_in.sign_in()).status == 401


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/ask", "/staff\\..\\x"])
async def test_sign_in_never_redirects_off_the_staff_pages(web: Web, target: str) -> None:
    await web.add_staff()
    token = await web.token()
    response = await web.client.post("/staff/login", allow_redirects=False, data={
        "csrf_token": token, "email": STAFF_EMAIL, "password": PASSWORD, "next": target})
    assert response.status == 303 and response.headers["Location"] == "/staff/"


@pytest.mark.parametrize("path", ["/ask", "/staff/login", "/healthz", "/no-such-page"])
async def test_security_headers_on_every_response(web: Web, path: str) -> None:
    response = await web.client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


async def test_session_cookie_flags(make_web: WebFactory) -> None:
    plain = await make_web()
    cookie = (await plain.client.get("/staff/login")).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    https = await make_web(public_url="https://bot.example.org")
    response = await https.client.get("/staff/login")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


async def test_staff_pages_are_not_cached(signed_in: Web) -> None:
    assert (await signed_in.client.get("/staff/")).headers["Cache-Control"] == "no-store"


async def test_sessions_survive_a_restart_only_with_staff_secret_key(make_web: WebFactory,
                                                                     caplog: Any) -> None:
    first = await make_web()
    await first.add_staff()
    assert (await first.sign_in()).status == 303
    cookies = first.client.session.cookie_jar.filter_cookies(first.client.make_url("/"))
    restarted = await make_web()  # same STAFF_SECRET_KEY: the session cookie still works
    restarted.client.session.cookie_jar.update_cookies(cookies, restarted.client.make_url("/"))
    assert (await restarted.client.get("/staff/", allow_redirects=False)).status == 200
    with caplog.at_level("WARNING"):
        random_key = await make_web(staff_secret_key=None)
    assert "STAFF_SECRET_KEY is not set" in caplog.text
    random_key.client.session.cookie_jar.update_cookies(cookies, random_key.client.make_url("/"))
    assert (await random_key.client.get("/staff/", allow_redirects=False)).status == 303


async def test_a_new_password_ends_existing_sessions(signed_in: Web) -> None:
    assert (await signed_in.client.get("/staff/", allow_redirects=False)).status == 200
    from bot.adapters.web.staff.passwords import hash_password

    await signed_in.backend.set_staff_password(STAFF_EMAIL, hash_password("a brand new password"))
    assert (await signed_in.client.get("/staff/", allow_redirects=False)).status == 303


async def test_a_database_failure_is_a_plain_500_without_details(signed_in: Web, caplog: Any) -> None:
    import sqlalchemy as sa

    async with signed_in.store.engine.begin() as conn:
        await conn.execute(sa.text("ALTER TABLE tickets RENAME TO tickets_gone"))
    response = await signed_in.client.get("/staff/tickets?q=anna")
    body = await response.text()
    assert response.status == 500 and "Something went wrong on our side" in body
    assert "tickets_gone" not in body and "Traceback" not in body and "sqlite" not in body.lower()
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "unhandled error on GET /staff/tickets" in caplog.text
