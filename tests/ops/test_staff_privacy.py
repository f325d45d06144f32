"""The staff page for one person's data: signed-in staff only, CSRF, a confirmation step, audited erasure."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from web.rig import STAFF_NAME, NotAsked, Web, metas, token_in

from bot.adapters.store import Store
from bot.adapters.web import build_app
from bot.adapters.web.staff.backend import StoreBackend
from bot.config import Settings
from bot.core.models import Right
from bot.filing import TicketFiler

ANNA = "anna@example.se"


@pytest.fixture
async def web(sqlite_url: str, clock: Any, tmp_path: Path) -> AsyncIterator[Web]:
    store = await Store.open(sqlite_url, clock=clock)
    settings = Settings(data_dir=tmp_path / "data", staff_secret_key="a test secret")
    filer = TicketFiler(store, mail_from="bot@privacy-bot.test", orgs={m.id: m for m in metas()})
    backend = StoreBackend(store, mailer=filer)
    app = build_app(settings=settings, service=NotAsked(), store=backend, organisations=metas(), clock=clock)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield Web(client, store, backend, filer, clock, settings)
    await client.close()
    await store.close()


async def signed_in(web: Web) -> str:
    await web.add_staff()
    assert (await web.sign_in()).status == 303
    return await web.token("/staff/privacy")


async def test_pages_need_a_signed_in_member(web: Web) -> None:
    response = await web.client.get("/staff/privacy", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/staff/login")
    token = await web.token("/staff/login")
    response = await web.client.post("/staff/privacy/export", data={"csrf_token": token, "subject": ANNA},
                                     allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/staff/login")


async def test_lookup_and_export_download(web: Web) -> None:
    filed = await web.file(address=ANNA)
    token = await signed_in(web)
    page = await (await web.client.post("/staff/privacy/lookup", data={"csrf_token": token, "subject": ANNA})).text()
    assert filed.ticket.reference in page
    response = await web.client.post("/staff/privacy/export", data={"csrf_token": token, "subject": ANNA})
    assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    doc = json.loads(await response.text())
    assert doc["tickets"][0]["reference"] == filed.ticket.reference
    assert doc["tickets"][0]["original_text"] == "Please delete all my personal data."
    bad = await web.client.post("/staff/privacy/export", data={"csrf_token": token, "subject": "<script>"})
    assert bad.status == 400 and "<script>" not in await bad.text()


async def test_csrf_is_required(web: Web) -> None:
    await web.file(address=ANNA)
    await signed_in(web)
    response = await web.client.post("/staff/privacy/erase", data={"subject": ANNA, "confirm": "yes"})
    assert response.status == 403
    ticket = (await web.store.iter_tickets())[0]
    assert ticket.requester_address == ANNA


async def test_erase_asks_first_then_erases_in_the_staff_members_name(web: Web) -> None:
    filed = await web.file(address=ANNA)
    other = await web.file(address="olle@example.se", name="Olle", right=Right.ACCESS)
    token = await signed_in(web)
    first = await web.client.post("/staff/privacy/erase", data={"csrf_token": token, "subject": ANNA})
    page = await first.text()
    assert first.status == 200 and 'name="confirm" value="yes"' in page and filed.ticket.reference in page
    still = await web.store.get_ticket(filed.ticket.reference)
    assert still is not None and still.requester_address == ANNA  # nothing changed yet
    done = await web.client.post("/staff/privacy/erase", data={"csrf_token": token_in(page), "subject": ANNA,
                                                               "confirm": "yes"}, allow_redirects=False)
    assert done.status == 303 and done.headers["Location"] == "/staff/privacy"
    flash = await (await web.client.get("/staff/privacy")).text()
    assert f"Erased: {filed.ticket.reference}" in flash
    erased = await web.store.get_ticket(filed.ticket.reference)
    assert erased is not None and erased.requester_address is None and erased.requester_name is None
    events = await web.store.events(filed.ticket.reference)
    assert events[-1].kind == "personal_data_erased" and events[-1].actor == STAFF_NAME
    kept = await web.store.get_ticket(other.ticket.reference)
    assert kept is not None and kept.requester_address == "olle@example.se"
