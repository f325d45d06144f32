"""The public ask page and POST /api/ask: the real assistant, dry runs, validation, rate limits."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest

from bot.adapters.store import TicketQuery
from bot.core.models import Channel, Inquiry

from .rig import Web, WebFactory, real_service, token_in

KEEP = "We keep this information no longer than 3 years."


@pytest.fixture
async def asking(make_web: WebFactory) -> Web:
    return await make_web(service=real_service())


async def test_api_ask_answers_with_the_json_contract(asking: Web) -> None:
    response = await asking.client.post("/api/ask", json={"text": "How long do you keep my data?",
                                                         "org": "infentre"})
    assert response.status == 200
    data = await response.json()
    assert set(data) == {"org", "answered", "reply", "language", "citations", "request"}
    assert data["org"] == "infentre" and data["answered"] is True and data["request"] is None
    assert KEEP in data["reply"]
    assert any(c["quote"] == KEEP for c in data["citations"])
    assert set(data["citations"][0]) == {"org", "section", "passage_id", "text", "score", "quote"}
    expected = real_service().answer(Inquiry(
        text="How long do you keep my data?", channel=Channel.API, org="infentre")).to_json()
    assert data == expected


async def test_api_ask_is_a_dry_run_nothing_is_filed(asking: Web) -> None:
    response = await asking.client.post("/api/ask", json={"text": "Please delete all my personal data.",
                                                         "org": "centra"})
    data = await response.json()
    assert data["request"] == {"right": "erasure", "forward_to": "support@centra.com"}
    assert "ticket" not in data
    assert (await asking.store.list_tickets(TicketQuery())).total == 0
    assert await asking.store.list_outbox() == []


@pytest.mark.parametrize(("body", "kwargs", "status", "message"), [
    (None, {"data": "text=hello"}, 415, "application/json"),
    (None, {"data": "{not json", "headers": {"Content-Type": "application/json"}}, 400, "malformed JSON"),
    ([1, 2], {}, 400, "JSON object"),
    ({"org": "centra"}, {}, 400, '"text" must be a non-empty string'),
    ({"text": "   "}, {}, 400, "non-empty"),
    ({"text": "x" * 4001}, {}, 400, "longer than 4000"),
    ({"text": "hi", "org": 7}, {}, 400, '"org" must be'),
    ({"text": "hi", "org": "nope"}, {}, 400, "unknown organisation"),
])
async def test_api_ask_refuses_bad_input_clearly(asking: Web, body: Any, kwargs: dict[str, Any], status: int,
                                                 message: str) -> None:
    if body is not None:
        kwargs = {"json": body}
    response = await asking.client.post("/api/ask", **kwargs)
    assert response.status == status
    assert message in (await response.json())["error"]


async def test_api_ask_is_rate_limited_per_client(make_web: WebFactory) -> None:
    web = await make_web(service=real_service(), ask_rate_per_minute=3)
    for _ in range(3):
        assert (await web.client.post("/api/ask", json={"text": "Do you sell my data?", "org": "centra"})).status == 200
    limited = await web.client.post("/api/ask", json={"text": "Do you sell my data?", "org": "centra"})
    assert limited.status == 429 and int(limited.headers["Retry-After"]) >= 1
    # the ask page shares the client's budget
    token = token_in(await (await web.client.get("/ask")).text())
    page = await web.client.post("/ask", data={"csrf_token": token, "text": "Do you sell my data?"})
    assert page.status == 429 and "Too many questions" in await page.text()


async def test_rate_limit_keys_on_the_client_behind_a_trusted_proxy(make_web: WebFactory) -> None:
    web = await make_web(service=real_service(), ask_rate_per_minute=2, forwarded_allow_ips=("127.0.0.1",))
    question = {"text": "Do you sell my data?", "org": "centra"}

    async def ask(chain: str) -> int:
        return (await web.client.post("/api/ask", json=question, headers={"X-Forwarded-For": chain})).status

    assert [await ask("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert await ask("198.51.100.9") == 200  # another client behind the same proxy has its own budget
    # what the client writes to the left of the proxy's entry does not buy a fresh budget
    assert await ask("10.9.9.9, 203.0.113.7") == 429


async def test_forwarded_for_is_ignored_from_an_untrusted_peer(make_web: WebFactory) -> None:
    web = await make_web(service=real_service(), ask_rate_per_minute=2, forwarded_allow_ips=("10.0.0.0/8",))
    statuses = [(await web.client.post("/api/ask", json={"text": "Do you sell my data?", "org": "centra"},
                                       headers={"X-Forwarded-For": f"203.0.113.{i}"})).status for i in range(3)]
    assert statuses == [200, 200, 429]


async def test_ask_page_shows_the_form_with_every_organisation(asking: Web) -> None:
    response = await asking.client.get("/ask")
    html = await response.text()
    assert response.status == 200
    for name in ("Centiro", "Centra", "i-Centrum", "iCentrex", "Infentre"):
        assert f">{name}</option>" in html
    assert 'name="csrf_token"' in html and "<textarea" in html
    preselected = await (await asking.client.get("/ask?org=centra")).text()
    assert '<option value="centra" selected>' in preselected


async def test_ask_page_shows_the_answer_and_citations_a_user_gets(asking: Web) -> None:
    token = token_in(await (await asking.client.get("/ask")).text())
    response = await asking.client.post("/ask", data={"csrf_token": token, "org": "infentre",
                                                      "text": "How long do you keep my data?"})
    html = await response.text()
    assert response.status == 200
    reply = real_service().answer(Inquiry(
        text="How long do you keep my data?", channel=Channel.WEB, org="infentre")).reply
    shown = re.search(r'<div class="reply" lang="en">(.*?)</div>', html, re.S)
    assert shown is not None and html_lib.unescape(shown.group(1)) == reply  # exactly, character for character
    assert f"<blockquote>{KEEP}</blockquote>" in html
    assert "How long do you keep my information?" in html


async def test_ask_page_for_a_request_says_where_it_would_go_and_files_nothing(asking: Web) -> None:
    token = token_in(await (await asking.client.get("/ask")).text())
    html = await (await asking.client.post("/ask", data={
        "csrf_token": token, "org": "icentrex", "text": "Please delete all my personal data."})).text()
    assert "erasure request" in html.lower() and "names no e-mail address" in html
    assert (await asking.store.list_tickets(TicketQuery())).total == 0


async def test_ask_page_without_an_organisation_asks_which_one(asking: Web) -> None:
    token = token_in(await (await asking.client.get("/ask")).text())
    html = await (await asking.client.post("/ask", data={"csrf_token": token, "text": "Do you sell data?"})).text()
    assert "Which organisation do you mean?" in html
    assert 'href="/ask?org=centra&amp;text=Do%20you%20sell%20data%3F"' in html


@pytest.mark.parametrize(("data", "message"), [
    ({"text": ""}, "The question must be a non-empty string"),
    ({"text": "hi", "org": "evil<script>"}, "unknown organisation"),
])
async def test_ask_page_bad_input_gets_a_polite_error(asking: Web, data: dict[str, str], message: str) -> None:
    token = token_in(await (await asking.client.get("/ask")).text())
    response = await asking.client.post("/ask", data={"csrf_token": token, **data})
    html = await response.text()
    assert response.status == 400 and message in html and "<script>" not in html


async def test_home_leads_to_the_ask_page_and_health_is_ok(asking: Web) -> None:
    home = await asking.client.get("/", allow_redirects=False)
    assert home.status == 302 and home.headers["Location"] == "/ask"
    health = await asking.client.get("/healthz")
    assert health.status == 200 and (await health.json()) == {"status": "ok"}
    css = await asking.client.get("/static/style.css")
    assert css.status == 200 and "text/css" in css.headers["Content-Type"]


async def test_choosing_an_organisation_keeps_the_question(asking: Web) -> None:
    html = await (await asking.client.get("/ask?org=centra&text=Do+you+sell+data%3F")).text()
    assert '<option value="centra" selected>' in html and ">Do you sell data?</textarea>" in html
