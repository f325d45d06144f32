"""Filing, duplicates, lifecycle with audit, queries and export: each on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from bot.adapters.store import TicketNotFound, TicketQuery, write_csv
from bot.adapters.store import schema as t
from bot.core.tickets import ExtensionRefused, IllegalTransition, Status
from bot.errors import InvalidInput

from .helpers import new_ticket, simple_mails


async def test_filing_creates_ticket_events_and_outbox_in_one_go(store: Any, clock: Any) -> None:
    result = await store.file_request(new_ticket(clock()), simple_mails)
    ticket = result.ticket
    assert ticket.reference == "DSR-2026-00001" and not result.duplicate
    assert ticket.status is Status.NEW and ticket.delivery_status == "pending"
    assert ticket.deadline == date(2026, 4, 10) and ticket.received_at == clock()
    queued = await store.outbox_for_ticket(ticket.reference)
    assert [(m.kind, m.status, m.recipients) for m in queued] == [
        ("forward", "pending", ("privacy@centra.com",)), ("ack", "pending", ("anna@example.se",))]
    assert [e.kind for e in await store.events(ticket.reference)] == ["created", "mail_queued", "mail_queued"]
    second = await store.file_request(new_ticket(clock(), requester="bo@example.se"), simple_mails)
    assert second.ticket.reference == "DSR-2026-00002"


async def test_a_failing_compose_leaves_nothing_behind(store: Any, clock: Any) -> None:
    def broken(ticket: Any) -> list[Any]:
        raise InvalidInput("cannot build mail")

    with pytest.raises(InvalidInput):
        await store.file_request(new_ticket(clock()), broken)
    assert (await store.list_tickets()).total == 0
    assert await store.list_outbox() == []
    ok = await store.file_request(new_ticket(clock()), simple_mails)
    assert ok.ticket.reference == "DSR-2026-00001"  # the failed attempt consumed no number


async def test_repeat_while_open_is_linked_as_duplicate_with_no_new_mail(store: Any, clock: Any) -> None:
    first = await store.file_request(new_ticket(clock()), simple_mails)
    clock.advance(days=2)
    again = await store.file_request(new_ticket(clock(), requester="ANNA@example.se", text="again!"), simple_mails)
    assert again.duplicate and again.ticket.reference == first.ticket.reference
    assert len(await store.list_outbox()) == 2
    events = await store.events(first.ticket.reference)
    assert events[-1].kind == "duplicate_request" and events[-1].detail["text"] == "again!"
    # Another right, another organisation, or a closed ticket: a new ticket.
    other_right = await store.file_request(new_ticket(clock(), right="erasure"), simple_mails)
    other_org = await store.file_request(new_ticket(clock(), org="acme"), simple_mails)
    assert not other_right.duplicate and not other_org.duplicate
    await store.transition(first.ticket.reference, "withdrawn", actor="staff@x")
    after_close = await store.file_request(new_ticket(clock()), simple_mails)
    assert not after_close.duplicate and after_close.ticket.reference == "DSR-2026-00004"


async def test_same_inquiry_filed_twice_returns_the_first_ticket(store: Any, clock: Any) -> None:
    one = await store.file_request(new_ticket(clock(), external_id="Ev1", channel="slack", requester="U1"),
                                   simple_mails)
    two = await store.file_request(new_ticket(clock(), external_id="Ev1", channel="slack", requester="U2"),
                                   simple_mails)
    assert two.existing and two.ticket.id == one.ticket.id
    assert (await store.list_tickets()).total == 1


async def test_no_contact_address_means_needs_routing_and_no_forward(store: Any, clock: Any) -> None:
    result = await store.file_request(new_ticket(clock(), org="icentrex", contact=None), simple_mails)
    assert result.ticket.status is Status.NEEDS_ROUTING and result.ticket.delivery_status == "none"
    assert [m.kind for m in await store.outbox_for_ticket(result.ticket.reference)] == ["ack"]
    routed = await store.route_ticket(result.ticket.reference, "dpo@icentrex.se", actor="staff@x",
                                      compose=lambda tk: [m for m in simple_mails(tk) if m.kind == "forward"])
    assert routed.contact_address == "dpo@icentrex.se"
    assert [m.kind for m in await store.outbox_for_ticket(routed.reference)] == ["ack", "forward"]
    with pytest.raises(InvalidInput):
        await store.route_ticket(routed.reference, "not an address\r\nBcc: x@y.se", actor="s", compose=simple_mails)


async def test_transitions_follow_the_lifecycle_and_are_audited(store: Any, clock: Any) -> None:
    ref = (await store.file_request(new_ticket(clock()), simple_mails)).ticket.reference
    with pytest.raises(IllegalTransition, match="allowed: forwarded"):
        await store.transition(ref, "completed", actor="staff@x")
    with pytest.raises(IllegalTransition, match="reason"):
        await store.transition(ref, "refused", actor="staff@x", reason="  ")
    with pytest.raises(IllegalTransition, match="unknown ticket status"):
        await store.transition(ref, "teleported", actor="staff@x")
    clock.advance(hours=1)
    await store.transition(ref, "forwarded", actor="staff@x")
    acked = await store.transition(ref, Status.ACKNOWLEDGED, actor="staff@x")
    assert acked.acknowledged_at == clock() and acked.forwarded_at == clock()
    done = await store.transition(ref, "completed", actor="staff@x")
    assert done.closed_at == clock() and not done.is_open
    with pytest.raises(IllegalTransition, match="closed"):
        await store.transition(ref, "refused", actor="staff@x", reason="late")
    status_events = [(e.actor, e.detail["from"], e.detail["to"]) for e in await store.events(ref) if e.kind == "status"]
    assert status_events == [("staff@x", "new", "forwarded"), ("staff@x", "forwarded", "acknowledged"),
                             ("staff@x", "acknowledged", "completed")]
    with pytest.raises(TicketNotFound):
        await store.transition("DSR-2026-99999", "forwarded", actor="x")


async def test_refusal_keeps_its_reason_and_duplicates_link(store: Any, clock: Any) -> None:
    a = (await store.file_request(new_ticket(clock()), simple_mails)).ticket.reference
    b = (await store.file_request(new_ticket(clock(), requester="bo@x.se"), simple_mails)).ticket.reference
    refused = await store.transition(a, "refused", actor="staff@x", reason="manifestly unfounded")
    assert refused.refusal_reason == "manifestly unfounded"
    with pytest.raises(InvalidInput):
        await store.transition(b, "duplicate", actor="staff@x")
    dup = await store.transition(b, "duplicate", actor="staff@x", duplicate_of=a.lower())
    assert dup.duplicate_of == a and dup.status is Status.DUPLICATE


async def test_notes_and_extension(store: Any, clock: Any) -> None:
    ref = (await store.file_request(new_ticket(clock()), simple_mails)).ticket.reference
    await store.add_note(ref, actor="staff@x", text="Called the DPO.")
    with pytest.raises(InvalidInput):
        await store.add_note(ref, actor="staff@x", text=" ")
    with pytest.raises(ExtensionRefused):
        await store.extend_deadline(ref, actor="staff@x", reason="")
    clock.advance(days=20)
    extended = await store.extend_deadline(ref, actor="staff@x", reason="complex request")
    assert extended.extended_deadline == date(2026, 6, 10) and extended.effective_deadline == date(2026, 6, 10)
    with pytest.raises(ExtensionRefused, match="once"):
        await store.extend_deadline(ref, actor="staff@x", reason="again")
    kinds = [(e.kind, e.actor) for e in await store.events(ref)]
    assert ("note", "staff@x") in kinds and ("deadline_extended", "staff@x") in kinds
    late = (await store.file_request(new_ticket(clock(), requester="c@x.se"), simple_mails)).ticket.reference
    clock.advance(days=32)
    with pytest.raises(ExtensionRefused, match="too late"):
        await store.extend_deadline(late, actor="staff@x", reason="busy")


async def test_queue_filters_sorting_paging_and_csv(store: Any, clock: Any) -> None:
    refs = []
    for i, (org, right, channel) in enumerate([("centra", "access", "email"), ("acme", "erasure", "slack"),
                                              ("centra", "erasure", "cli")]):
        refs.append((await store.file_request(new_ticket(clock(), org=org, right=right, channel=channel,
                                                         requester=f"p{i}@x.se", text=f"text {i} =cmd"),
                                              simple_mails)).ticket.reference)
        clock.advance(days=10)
    today = clock().date()  # 2026-04-09: the first ticket is due 04-10
    page = await store.list_tickets(TicketQuery(per_page=2), today=today)
    assert page.total == 3 and page.pages == 2 and [x.reference for x in page.items] == refs[:2]
    assert page.items[0].days_left(today) == 1 and page.items[0].urgency(today) == "due_soon"
    assert [x.reference for x in (await store.list_tickets(TicketQuery(org="centra"))).items] == [refs[0], refs[2]]
    assert (await store.list_tickets(TicketQuery(right="erasure", channel="slack"))).total == 1
    assert [x.reference for x in (await store.list_tickets(TicketQuery(text="TEXT 2"))).items] == [refs[2]]
    assert (await store.list_tickets(TicketQuery(text="100%_"))).total == 0
    assert (await store.list_tickets(TicketQuery(overdue=True), today=today)).total == 0
    clock.advance(days=2)
    overdue = await store.list_tickets(TicketQuery(overdue=True))
    assert [x.reference for x in overdue.items] == [refs[0]]
    await store.transition(refs[0], "withdrawn", actor="s")
    assert (await store.list_tickets(TicketQuery(overdue=True))).total == 0
    assert (await store.list_tickets(TicketQuery(status=("withdrawn",)))).total == 1
    buffer = io.StringIO()
    assert write_csv(await store.iter_tickets(), buffer, today=clock().date()) == 3
    lines = buffer.getvalue().splitlines()
    assert lines[0].startswith("reference,org,right,article,status")
    assert refs[0] in buffer.getvalue() and "=cmd" not in lines[0]


async def test_events_are_append_only_in_the_database(store: Any, clock: Any) -> None:
    ref = (await store.file_request(new_ticket(clock()), simple_mails)).ticket.reference
    for statement in (t.ticket_events.update().values(actor="forger"), t.ticket_events.delete()):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            async with store.tx() as conn:
                await conn.execute(statement)
    assert all(e.actor != "forger" for e in await store.events(ref))


async def test_claim_event_state_and_channel_orgs(store: Any, clock: Any) -> None:
    assert await store.claim_event("Ev123", "slack") is True
    assert await store.claim_event("Ev123", "slack") is False
    assert await store.channel_org("C1") is None
    await store.set_channel_org("C1", "centra", team_id="T1")
    await store.set_channel_org("C1", "acme")
    assert await store.channel_org("C1") == "acme"
    assert await store.get_state("imap.last_poll") is None
    await store.heartbeat("imap.last_poll")
    assert await store.last_beat("imap.last_poll") == clock()
    assert await store.claim_event("DSR-2026-00001:overdue", "reminder") is True
    clock.advance(days=3)
    day = __import__("datetime").timedelta(days=1)
    assert await store.forget_events(older_than=day, sources=("slack",)) == 1
    assert await store.claim_event("Ev123", "slack") is True
    assert await store.claim_event("DSR-2026-00001:overdue", "reminder") is False  # other sources are kept
    clock.advance(days=3)
    assert await store.forget_events(older_than=day) == 2
    await store.ping()


async def test_inbound_queue_keeps_raw_bytes_and_dedupes(store: Any, clock: Any) -> None:
    raw = b"From: a@b.se\r\nSubject: hi\r\n\r\n\xff\xfe body"
    first, created = await store.enqueue_inbound(transport="smtp", raw=raw, dedupe_key="k1", message_id="<a@b>")
    again, created_again = await store.enqueue_inbound(transport="imap", raw=raw, dedupe_key="k1")
    assert created and not created_again and first == again
    claimed = await store.claim_inbound("w1")
    assert [m.raw for m in claimed] == [raw] and await store.claim_inbound("w2") == []
    await store.finish_inbound(first, status="quarantined", error="unparseable", outcome={"why": "junk"})
    row = await store.get_inbound(first)
    assert row is not None and row.status == "quarantined" and row.raw == raw and row.size == len(raw)


async def test_a_bounce_of_a_sent_forward_fails_the_ticket(store: Any, clock: Any) -> None:
    ref = (await store.file_request(new_ticket(clock()), simple_mails)).ticket.reference
    for row in await store.claim_outbox("w"):
        await store.mark_sent(row.id, worker="w")
    assert (await store.get_ticket(ref)).status is Status.FORWARDED
    forward = next(m for m in await store.outbox_for_ticket(ref) if m.kind == "forward")
    ticket_id = await store.mark_bounced(forward.message_id, error="550 5.1.1 user unknown")
    ticket = await store.get_ticket(ref)
    assert ticket_id == ticket.id and ticket.status is Status.FAILED and ticket.delivery_status == "failed"
    assert "bounced: 550" in (ticket.delivery_error or "")
    assert await store.mark_bounced("<unknown@x>", error="550") is None
