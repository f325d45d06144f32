"""The staff pages on a real SQLite store: queue, filters, one ticket, its actions, export, dashboard."""

from __future__ import annotations

import csv
import io
import re

from bot.core.models import Channel, Right

from .rig import STAFF_NAME, Web, token_in


def refs_in(html: str) -> list[str]:
    return re.findall(r'<a href="/staff/tickets/(DSR-\d{4}-\d{5})">', html)


async def test_queue_lists_tickets_soonest_deadline_first_with_urgency(signed_in: Web) -> None:
    old = await signed_in.file(address="old@example.se")  # received 2026-03-10: due 2026-04-10
    signed_in.clock.advance(days=20)
    new = await signed_in.file(address="new@example.se", org="centra")  # due 2026-04-30
    signed_in.clock.advance(days=15)  # 2026-04-14: the first is overdue, the second due in 16 days
    html = await (await signed_in.client.get("/staff/")).text()
    assert refs_in(html) == [old.ticket.reference, new.ticket.reference]
    assert 'class="u-overdue"' in html and "4 overdue" in html
    signed_in.clock.advance(days=10)  # 2026-04-24: six days left on the second -> amber
    html = await (await signed_in.client.get("/staff/tickets")).text()
    assert 'class="u-due_soon"' in html


async def test_queue_filters_are_kept_in_the_url_and_combine(signed_in: Web) -> None:
    a = await signed_in.file(org="infentre", right=Right.ERASURE, address="a@example.se")
    b = await signed_in.file(org="centra", right=Right.ACCESS, address="b@example.se", channel=Channel.SLACK,
                             text="Send me a copy of everything about me, says Bertil")
    c = await signed_in.file(org="icentrex", right=Right.ACCESS, address="c@example.se")
    get = signed_in.client.get

    async def refs(query: str) -> list[str]:
        return refs_in(await (await get("/staff/tickets?" + query)).text())

    assert set(await refs("")) == {a.ticket.reference, b.ticket.reference, c.ticket.reference}
    assert await refs("org=centra") == [b.ticket.reference]
    assert set(await refs("right=access")) == {b.ticket.reference, c.ticket.reference}
    assert await refs("right=access&channel=slack") == [b.ticket.reference]
    assert await refs("status=needs_routing") == [c.ticket.reference]
    assert await refs("q=bertil") == [b.ticket.reference]
    assert await refs("q=" + a.ticket.reference) == [a.ticket.reference]
    assert await refs("overdue=1") == []
    signed_in.clock.advance(days=40)
    assert len(await refs("overdue=1")) == 3
    # the form shows the filters it was given, and junk values are ignored rather than failing
    html = await (await get("/staff/tickets?right=access&q=bertil&status=%3Cscript%3E")).text()
    assert '<option value="access" selected>' in html and 'value="bertil"' in html
    assert 'href="/staff/export.csv?right=access&amp;q=bertil"' in html


async def test_queue_pages(signed_in: Web) -> None:
    for n in range(53):
        await signed_in.file(address=f"person{n}@example.se")
    first = await (await signed_in.client.get("/staff/tickets")).text()
    assert len(refs_in(first)) == 50 and "Page 1 of 2" in first and 'rel="next"' in first
    second = await (await signed_in.client.get("/staff/tickets?page=2")).text()
    assert len(refs_in(second)) == 3 and not set(refs_in(first)) & set(refs_in(second))


async def test_ticket_page_shows_everything_staff_need(signed_in: Web) -> None:
    text = "Hej!\n  Please delete   everything.\n\tThanks, Anna"
    filed = await signed_in.file(text=text)
    ref = filed.ticket.reference
    html = await (await signed_in.client.get(f"/staff/tickets/{ref}")).text()
    assert f'<pre class="original" id="original">{text}</pre>' in html  # exactly, whitespace kept
    assert "Anna Svensson" in html and "anna@example.se" in html
    assert "dkim" in html and "pass" in html  # identity evidence
    assert "You may ask us to erase your data." in html  # citation
    assert "hello@infentre.com" in html  # the forward, as queued
    assert f"[{ref}]" in html  # the acknowledgement's subject carries the reference
    assert "forward" in html and "ack" in html and "pending" in html
    assert 'id="timeline"' in html and "created" in html and "mail queued" in html
    for action in ("refuse", "extend", "duplicate", "verify", "note", "withdraw"):
        assert f'action="/staff/tickets/{ref}/{action}"' in html
    assert f'action="/staff/tickets/{ref}/complete"' not in html  # new -> completed is not allowed
    assert f'action="/staff/tickets/{ref}/route"' not in html  # it has an address


async def test_unknown_ticket_is_404(signed_in: Web) -> None:
    assert (await signed_in.client.get("/staff/tickets/DSR-2026-99999")).status == 404
    assert (await signed_in.client.get("/staff/tickets/..%2F..%2Fetc")).status == 404


async def _post(web: Web, ref: str, action: str, **data: str) -> tuple[int, str]:
    token = token_in(await (await web.client.get(f"/staff/tickets/{ref}")).text())
    response = await web.client.post(f"/staff/tickets/{ref}/{action}", data={"csrf_token": token, **data})
    return response.status, await response.text()


async def test_refusing_asks_for_confirmation_then_is_audited_with_the_staff_name(signed_in: Web) -> None:
    ref = (await signed_in.file()).ticket.reference
    status, html = await _post(signed_in, ref, "refuse", reason="Identity could not be confirmed")
    assert status == 200 and "cannot be undone" in html and 'name="confirm" value="yes"' in html
    ticket = await signed_in.store.get_ticket(ref)
    assert ticket is not None and ticket.status.value == "new"  # nothing happened yet
    status, html = await _post(signed_in, ref, "refuse", reason="Identity could not be confirmed", confirm="yes")
    assert status == 200 and "Done: refuse." in html
    ticket = await signed_in.store.get_ticket(ref)
    assert ticket is not None and ticket.status.value == "refused"
    assert ticket.refusal_reason == "Identity could not be confirmed"
    event = (await signed_in.store.events(ref))[-1]
    assert event.kind == "status" and event.actor == STAFF_NAME
    assert event.detail["to"] == "refused" and event.detail["reason"] == "Identity could not be confirmed"
    assert f'action="/staff/tickets/{ref}/refuse"' not in html  # closed: no more actions but notes


async def test_refusing_needs_a_reason(signed_in: Web) -> None:
    ref = (await signed_in.file()).ticket.reference
    status, html = await _post(signed_in, ref, "refuse", reason="   ", confirm="yes")
    assert status == 400 and "Give a reason" in html
    ticket = await signed_in.store.get_ticket(ref)
    assert ticket is not None and ticket.status.value == "new"


async def test_an_action_the_lifecycle_does_not_allow_is_refused(signed_in: Web) -> None:
    ref = (await signed_in.file()).ticket.reference
    status, html = await _post(signed_in, ref, "complete", confirm="yes")
    assert status == 409 and "not possible for a new ticket" in html
    assert (await _post(signed_in, ref, "explode"))[0] == 404


async def test_extend_once_with_a_reason(signed_in: Web) -> None:
    ref = (await signed_in.file()).ticket.reference
    status, html = await _post(signed_in, ref, "extend", reason="Many systems to search", confirm="yes")
    assert status == 200
    ticket = await signed_in.store.get_ticket(ref)
    assert ticket is not None and ticket.extended_deadline is not None
    assert ticket.extended_deadline.isoformat() == "2026-06-10"
    assert "2026-06-10" in html and "Many systems to search" in html
    assert f'action="/staff/tickets/{ref}/extend"' not in html  # only once
    assert (await _post(signed_in, ref, "extend", reason="again", confirm="yes"))[0] == 409


async def test_notes_identity_duplicate_and_acknowledge(signed_in: Web) -> None:
    first = (await signed_in.file(address="x@example.se")).ticket.reference
    second = (await signed_in.file(address="y@example.se")).ticket.reference
    status, html = await _post(signed_in, second, "note", text="Called the requester <b>today</b>")
    assert status == 200 and "Called the requester &lt;b&gt;today&lt;/b&gt;" in html
    status, html = await _post(signed_in, second, "verify")
    assert status == 200 and "verified by staff" in html
    assert f'action="/staff/tickets/{second}/verify"' not in html
    status, html = await _post(signed_in, second, "duplicate", of=first, confirm="yes")
    assert status == 200
    ticket = await signed_in.store.get_ticket(second)
    assert ticket is not None and ticket.status.value == "duplicate" and ticket.duplicate_of == first
    assert (await _post(signed_in, first, "duplicate", of=first, confirm="yes"))[0] == 400
    await signed_in.store.transition(first, "forwarded", actor="test")
    assert (await _post(signed_in, first, "acknowledge"))[0] == 200
    ticket = await signed_in.store.get_ticket(first)
    assert ticket is not None and ticket.status.value == "acknowledged"
    kinds = [(e.kind, e.actor) for e in await signed_in.store.events(second)]
    assert ("note", STAFF_NAME) in kinds and ("identity_verified", STAFF_NAME) in kinds


async def test_route_a_needs_routing_ticket_queues_the_forward(signed_in: Web) -> None:
    ref = (await signed_in.file(org="icentrex")).ticket.reference
    html = await (await signed_in.client.get(f"/staff/tickets/{ref}")).text()
    assert "needs routing" in html and f'action="/staff/tickets/{ref}/route"' in html
    status, html = await _post(signed_in, ref, "route", address="not an address", confirm="yes")
    assert status == 400 and "plain e-mail address" in html
    status, html = await _post(signed_in, ref, "route", address="dpo@icentrex.example", confirm="yes")
    assert status == 200
    mails = await signed_in.store.outbox_for_ticket(ref)
    assert [m.recipients for m in mails if m.kind == "forward"] == [("dpo@icentrex.example",)]
    assert "dpo@icentrex.example" in html


async def test_resend_the_forward(signed_in: Web) -> None:
    ref = (await signed_in.file()).ticket.reference
    await signed_in.store.transition(ref, "forwarded", actor="test")
    status, _ = await _post(signed_in, ref, "resend", confirm="yes")
    assert status == 200
    forwards = [m for m in await signed_in.store.outbox_for_ticket(ref) if m.kind == "forward"]
    assert len(forwards) == 2 and forwards[0].message_id != forwards[1].message_id


async def test_export_csv_of_the_filtered_queue(signed_in: Web) -> None:
    a = await signed_in.file(org="infentre", name="=HYPERLINK(\"http://evil\")", address="a@example.se")
    await signed_in.file(org="centra", address="b@example.se")
    response = await signed_in.client.get("/staff/export.csv?org=infentre")
    assert response.status == 200 and response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in response.headers
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [r["reference"] for r in rows] == [a.ticket.reference]
    assert rows[0]["requester_name"].startswith("'=")  # a spreadsheet will not run it
    assert rows[0]["deadline"] == "2026-04-10" and rows[0]["days_left"] == "31"
    everything = list(csv.DictReader(io.StringIO(await (await signed_in.client.get("/staff/export.csv")).text())))
    assert len(everything) == 2


async def test_dashboard_counts_and_chart(signed_in: Web) -> None:
    first = (await signed_in.file(address="a@example.se")).ticket.reference
    await signed_in.file(org="centra", right=Right.ACCESS, address="b@example.se")
    await signed_in.store.transition(first, "forwarded", actor="t")
    signed_in.clock.advance(days=5)
    await signed_in.store.transition(first, "completed", actor="t")
    signed_in.clock.advance(days=40)
    await signed_in.file(org="centra", right=Right.ACCESS, address="c@example.se")
    html = await (await signed_in.client.get("/staff/dashboard")).text()
    assert re.search(r'<span class="big">2</span>open', html)
    assert '<span class="big" id="overdue-count">1</span>' in html
    assert "5.0" in html  # median days to close
    assert "<svg" in html and "<rect" in html and ">Mar<" in html and ">Apr<" in html and ">2026<" in html
    assert "access, 2026-04: 1" in html and "Centra" in html
