"""The TicketFiler's two mails, as they reach a real SMTP server: recipients, headers, content."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.mail_out import send_once
from bot.config import Settings
from bot.core.models import Channel, Inquiry, Language, Requester, Right
from bot.core.tickets import Status
from bot.errors import InvalidInput
from bot.filing import TicketFiler
from bot.service import Service

from .helpers import ORGS, email_inquiry, request_answer


def settings_for(smtp: Any, tmp_path: Path) -> Settings:
    return Settings(smtp_url=smtp.url if smtp else None, mail_from="bot@privacy.test", data_dir=tmp_path)


async def test_forward_and_acknowledgement_reach_smtp_with_the_right_headers(
        store: Any, clock: Any, smtp_server: Any, tmp_path: Path) -> None:
    filer = TicketFiler(store, mail_from="bot@privacy.test", orgs=ORGS)
    text = "Hej! Please send me a copy of all data you hold about me.\n\n-- \nAnna  <anna@example.se>"
    filed = await filer.file_request(email_inquiry(text), request_answer(), received_at=clock())
    assert filed.reference == "DSR-2026-00001" and filed.deadline == "2026-04-10" and not filed.duplicate
    queued = {m.kind: m for m in await store.outbox_for_ticket(filed.reference)}

    report = await send_once(store, settings_for(smtp_server, tmp_path))
    assert (report.sent, report.retry, report.failed) == (2, 0, 0)
    assert len(smtp_server.messages) == 2
    forward = next(m for m in smtp_server.messages if m.rcpt_tos == ["privacy@centra.com"])
    msg = forward.message
    assert forward.mail_from == "bot@privacy.test"
    assert msg["To"] == "privacy@centra.com" and msg["From"] == "bot@privacy.test"
    assert msg["Reply-To"] == "anna@example.se"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Message-ID"] == queued["forward"].message_id and msg["Message-ID"].endswith("@privacy.test>")
    assert "[DSR-2026-00001]" in msg["Subject"]
    body = msg.get_body(("plain",)).get_content()
    assert text in body  # the original message verbatim
    assert "DSR-2026-00001" in body and "15" in body and "2026-03-10" in body and "2026-04-10" in body
    assert "anna@example.se" in body and "Anna Svensson" in body and "dkim: pass" in body

    ack = next(m for m in smtp_server.messages if m.rcpt_tos == ["anna@example.se"]).message
    assert "[DSR-2026-00001]" in ack["Subject"] and ack["Auto-Submitted"] == "auto-generated"
    assert ack["In-Reply-To"] == "<m1@example.se>" and ack["Message-ID"] == queued["ack"].message_id
    assert "privacy@centra.com" in ack.get_body(("plain",)).get_content()

    ticket = await store.get_ticket(filed.reference)
    assert ticket.status is Status.FORWARDED and ticket.forwarded_at == clock() and ticket.delivery_status == "sent"
    assert ticket.requester_evidence == (("dkim", "pass"), ("spf", "pass"))
    assert ticket.citations[0]["passage_id"] == "centra:your-rights:1"
    assert [e.kind for e in await store.events(filed.reference)].count("mail_sent") == 2
    # Sending again sends nothing: each message once.
    assert (await send_once(store, settings_for(smtp_server, tmp_path))).sent == 0
    assert len(smtp_server.messages) == 2


async def test_swedish_acknowledgement_and_routing_when_the_policy_names_no_address(
        store: Any, clock: Any, smtp_server: Any, tmp_path: Path) -> None:
    filer = TicketFiler(store, mail_from="bot@privacy.test", orgs=ORGS)
    answer = request_answer(org="icentrex", forward_to=None, language=Language.SV, right=Right.ERASURE,
                            reason="the policy names no e-mail address")
    filed = await filer.file_request(email_inquiry("Radera mina uppgifter.", org="icentrex"), answer,
                                     received_at=clock())
    ticket = await store.get_ticket(filed.reference)
    assert ticket.status is Status.NEEDS_ROUTING and ticket.contact_address is None
    await send_once(store, settings_for(smtp_server, tmp_path))
    [ack] = smtp_server.messages
    assert ack.rcpt_tos == ["anna@example.se"]
    body = ack.message.get_body(("plain",)).get_content()
    assert "Hej" in body and "iCentrex" in body and "manuellt" in body
    # Staff route it: the forward goes out and the ticket becomes forwarded.
    await filer.route(filed.reference, "dpo@icentrex.se", actor="staff@privacy.test")
    await send_once(store, settings_for(smtp_server, tmp_path))
    assert smtp_server.messages[-1].rcpt_tos == ["dpo@icentrex.se"]
    assert (await store.get_ticket(filed.reference)).status is Status.FORWARDED


async def test_slack_requester_gets_the_ack_at_the_verified_address_only(store: Any, clock: Any) -> None:
    filer = TicketFiler(store, mail_from="bot@privacy.test", orgs=ORGS)
    inquiry = Inquiry(text="I want my data deleted", channel=Channel.SLACK, org="centra", external_id="Ev9",
                      requester=Requester(channel=Channel.SLACK, address="U123", name="Bo",
                                          evidence=(("slack_team", "T1"), ("slack_verified_email", "bo@corp.se"))))
    answer = request_answer(right=Right.ERASURE, emails=("victim@elsewhere.se",))
    filed = await filer.file_request(inquiry, answer, received_at=clock())
    mails = {m.kind: m for m in await store.outbox_for_ticket(filed.reference)}
    assert mails["ack"].recipients == ("bo@corp.se",)
    assert b"Reply-To: bo@corp.se" in mails["forward"].raw
    ticket = await store.get_ticket(filed.reference)
    assert ticket.requester_address == "U123" and ("stated_email", "victim@elsewhere.se") in ticket.requester_evidence
    # A Slack retry of the same event returns the same ticket and queues nothing.
    again = await filer.file_request(inquiry, answer, received_at=clock())
    assert again.reference == filed.reference and len(await store.list_outbox()) == 2


async def test_service_files_through_the_filer_and_duplicates_are_flagged(store: Any, clock: Any) -> None:
    class Responder:
        def respond(self, text: str, *, org: str | None = None) -> Any:
            return request_answer()

    service = Service(Responder(), TicketFiler(store, mail_from="bot@privacy.test", orgs=ORGS), clock=clock)
    first = await service.handle(email_inquiry(message_id="<a@x>"))
    second = await service.handle(email_inquiry("Again: my data please", message_id="<b@x>"))
    assert first.ticket is not None and second.ticket is not None
    assert second.ticket.duplicate and second.ticket.reference == first.ticket.reference
    assert second.to_json()["ticket"] == {"reference": "DSR-2026-00001", "deadline": "2026-04-10", "duplicate": True}
    dry = await service.handle(email_inquiry(message_id="<c@x>"), file=False)
    assert dry.ticket is None and len(await store.list_outbox()) == 2


async def test_filing_refuses_what_is_not_a_request(store: Any) -> None:
    filer = TicketFiler(store, mail_from="bot@privacy.test")
    answer = request_answer()
    with pytest.raises(InvalidInput):
        await filer.file_request(email_inquiry(), answer.__class__(org="centra", answered=True, reply="x",
                                                                    language=Language.EN),
                                 received_at=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidInput, match="organisation"):
        await filer.file_request(email_inquiry(org=None), request_answer().__class__(
            org=None, answered=True, reply="x", language=Language.EN, request=answer.request),
            received_at=datetime(2026, 1, 1, tzinfo=UTC))


async def test_hostile_requester_fields_cannot_add_headers_or_recipients(store: Any, clock: Any) -> None:
    filer = TicketFiler(store, mail_from="bot@privacy.test", orgs=ORGS)
    inquiry = Inquiry(text="Send me my data.\r\nBcc: evil@attacker.test\r\n\r\nbody", channel=Channel.EMAIL,
                      org="centra", external_id="<x\r\nBcc: evil@attacker.test>",
                      requester=Requester(channel=Channel.EMAIL, address="anna@example.se\r\nBcc: evil@attacker.test",
                                          name="Anna\r\nBcc: evil@attacker.test"))
    filed = await filer.file_request(inquiry, request_answer(), received_at=clock())
    mails = await store.outbox_for_ticket(filed.reference)
    assert [m.kind for m in mails] == ["forward"]  # no usable requester address: no acknowledgement
    forward = mails[0]
    assert forward.recipients == ("privacy@centra.com",)
    headers = forward.raw.split(b"\r\n\r\n", 1)[0].decode()
    assert "evil@attacker.test" not in headers
    assert all(not line.lower().startswith("bcc") for line in headers.splitlines())
    ticket = await store.get_ticket(filed.reference)
    assert ticket.original_text == inquiry.text  # kept verbatim for staff
