"""The mail pipeline end to end over a real store (SQLite and PostgreSQL) and a loopback SMTP server."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.adapters.mail_in import store_raw
from bot.adapters.mail_out import send_once
from bot.adapters.store import InboundRow, Store
from bot.config import Settings
from bot.mail_pipeline import MailPipeline
from bot.service import Service

from .helpers import BOT_FROM, make_mail


async def deliver(store: Store, pipeline: MailPipeline, raw: bytes, *,
                  transport: str = "smtp") -> tuple[InboundRow, str]:
    row_id, created, _ = await store_raw(store, raw, transport=transport)
    assert created
    claimed = await store.claim_inbound("test", limit=1)
    assert [r.id for r in claimed] == [row_id]
    action = await pipeline.process(claimed[0])
    row = await store.get_inbound(row_id)
    assert row is not None
    return row, action


async def sent(store: Store, settings: Settings, smtp_server: Any) -> list[Any]:
    """Deliver the outbox to the loopback server; the messages it received this time."""
    before = len(smtp_server.messages)
    report = await send_once(store, settings)
    assert report.failed == 0
    return list(smtp_server.messages[before:])


async def test_question_gets_a_threaded_cited_reply_in_text_and_html(store: Store, pipeline: MailPipeline,
                                                                     settings: Settings, smtp_server: Any) -> None:
    raw = make_mail("How long do you keep my information?", subject="Retention", message_id="<q1@example.se>")
    row, action = await deliver(store, pipeline, raw)
    assert action == "answered"
    assert row.status == "done" and row.outcome is not None and row.outcome["org"] == "infentre"
    assert row.raw == raw
    [mail] = await sent(store, settings, smtp_server)
    assert mail.rcpt_tos == ["anna@example.se"]
    assert mail.mail_from == BOT_FROM
    msg = mail.message
    assert msg["To"] == "anna@example.se"
    assert msg["From"] == BOT_FROM
    assert msg["Subject"] == "Re: Retention"
    assert msg["In-Reply-To"] == "<q1@example.se>"
    assert msg["References"] == "<q1@example.se>"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["Message-ID"].endswith("@bot.example>")
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "We keep this information no longer than 3 years." in text
    assert "How long do you keep my information?" in text  # the section's name
    assert "<blockquote" in html and "We keep this information no longer than 3 years." in html
    assert "How long do you keep my information?" in html


async def test_identity_evidence_trusts_only_our_own_receiving_server(
        store: Store, service: Service, settings: Settings) -> None:
    from dataclasses import replace

    from .helpers import metas

    def request_from(message_id: str, *auth_lines: str) -> bytes:
        raw = make_mail("Please delete all my personal data.", to="privacy@centra.com",
                        message_id=message_id, sender=f"Person <{message_id.strip('<>').split('@')[0]}@example.se>")
        return b"".join(f"Authentication-Results: {line}\r\n".encode() for line in auth_lines) + raw

    forged = "mx.bot.example; dkim=pass header.d=example.se; spf=pass smtp.mailfrom=example.se"
    # Unset: only the topmost header counts (the one our server adds); lower ones came with the message.
    default = MailPipeline(store, service, settings, metas=metas())
    row, action = await deliver(store, default, request_from("<ev1@example.se>", "mx.bot.example; dkim=fail", forged))
    ticket = await store.get_ticket(row.outcome["ticket"]) if row.outcome else None
    assert action == "ticket" and ticket is not None
    assert ("dkim", "fail") in ticket.requester_evidence and ("dkim", "pass") not in ticket.requester_evidence
    # MAIL_AUTHSERV_IDS set: a topmost header from anyone else (here the sender's own) is not evidence.
    strict = MailPipeline(store, service, replace(settings, mail_authserv_ids=("mx.ours.example",)), metas=metas())
    row, action = await deliver(store, strict, request_from(
        "<ev2@example.se>", forged.replace("mx.bot.example", "mx.sender.example"),
        "mx.ours.example; dkim=none; spf=softfail smtp.mailfrom=example.se"))
    ticket = await store.get_ticket(row.outcome["ticket"]) if row.outcome else None
    assert action == "ticket" and ticket is not None
    evidence = dict(ticket.requester_evidence)
    assert evidence.get("authserv_id") == "mx.ours.example" and evidence.get("spf") == "softfail"


async def test_swedish_question_is_answered_in_swedish(store: Store, pipeline: MailPipeline, settings: Settings,
                                                       smtp_server: Any) -> None:
    raw = make_mail("Hur länge sparar ni mina uppgifter?", to="privacy@centra.com", subject="Fråga")
    _, action = await deliver(store, pipeline, raw)
    assert action in ("answered", "abstained")
    [mail] = await sent(store, settings, smtp_server)
    assert mail.message["Subject"] == "Re: Fråga"
    assert mail.message.get_body(("plain",)).get_content().startswith("Hej,")


async def test_request_files_a_ticket_and_the_acknowledgement_carries_the_reference(
        store: Store, pipeline: MailPipeline, settings: Settings, smtp_server: Any) -> None:
    raw = make_mail("I want a copy of all the personal data you hold about me.", to="privacy@centra.com",
                    subject="My data", message_id="<req1@example.se>",
                    headers={"Authentication-Results": "mx.bot.example; dkim=pass header.d=example.se; spf=pass"})
    row, action = await deliver(store, pipeline, raw)
    assert action == "ticket"
    assert row.ticket_id is not None and row.outcome is not None
    ticket = await store.get_ticket(row.outcome["ticket"])
    assert ticket is not None and ticket.org == "centra" and ticket.right == "access"
    assert ticket.requester_address == "anna@example.se" and ticket.channel == "email"
    assert ("dkim", "pass") in ticket.requester_evidence
    mails = await sent(store, settings, smtp_server)
    ack = [m for m in mails if m.rcpt_tos == ["anna@example.se"]]
    forward = [m for m in mails if m.rcpt_tos == ["support@centra.com"]]
    assert len(ack) == 1 and len(forward) == 1 and len(mails) == 2
    assert f"[{ticket.reference}]" in ack[0].message["Subject"]
    assert ack[0].message["In-Reply-To"] == "<req1@example.se>"


async def test_the_same_request_processed_again_after_a_crash_files_nothing_twice(
        store: Store, pipeline: MailPipeline, settings: Settings, smtp_server: Any) -> None:
    raw = make_mail("Please delete all my personal data.", to="privacy@centra.com", message_id="<del@example.se>")
    row, action = await deliver(store, pipeline, raw)
    assert action == "ticket"
    outbox = await store.list_outbox()
    # The process died after filing but before recording the outcome: the row is taken up again.
    await store.finish_inbound(row.id, status="new")
    [again] = await store.claim_inbound("test-2", limit=1)
    assert await pipeline.process(again) == "ticket"
    assert len(await store.list_outbox()) == len(outbox)
    async with store.engine.connect() as conn:
        assert (await conn.execute(sa.text("SELECT count(*) FROM tickets"))).scalar_one() == 1


async def test_a_repeat_of_the_same_message_is_queued_once(store: Store) -> None:
    raw = make_mail(message_id="<same@example.se>")
    first = await store_raw(store, raw, transport="smtp")
    second = await store_raw(store, raw, transport="imap")
    assert first[0] == second[0] and first[1] and not second[1]
    no_id = b"From: a@example.se\r\nTo: privacy@centra.com\r\nSubject: x\r\n\r\nhello\r\n"
    assert (await store_raw(store, no_id, transport="smtp"))[1]
    assert not (await store_raw(store, no_id, transport="smtp"))[1]
    assert len(await store.list_inbound()) == 2


async def test_replies_in_a_ticket_thread_are_added_to_the_ticket(store: Store, pipeline: MailPipeline,
                                                                  settings: Settings, smtp_server: Any) -> None:
    raw = make_mail("I want a copy of my personal data.", to="privacy@centra.com", message_id="<r0@example.se>")
    row, _ = await deliver(store, pipeline, raw)
    assert row.outcome is not None
    reference = row.outcome["ticket"]
    mails = await sent(store, settings, smtp_server)
    ack = next(m for m in mails if m.rcpt_tos == ["anna@example.se"]).message
    # The requester answers the acknowledgement (threaded by In-Reply-To) ...
    follow = make_mail("My customer number is 12345.", to="privacy@centra.com", subject=f"Re: {ack['Subject']}",
                       headers={"In-Reply-To": ack["Message-ID"], "References": ack["Message-ID"]})
    row2, action = await deliver(store, pipeline, follow)
    assert action == "thread" and row2.ticket_id == row.ticket_id
    # ... and the organisation answers with only the tag in the subject.
    tagged = make_mail("We have sent the data by post.", sender="support@centra.com",
                       subject=f"Ang. [{reference}]")
    _, action = await deliver(store, pipeline, tagged)
    assert action == "thread"
    events = [e for e in await store.events(reference) if e.kind == "mail_received"]
    assert [e.detail["text"].strip() for e in events] == ["My customer number is 12345.",
                                                         "We have sent the data by post."]
    assert events[1].detail["from"] == "support@centra.com"
    async with store.engine.connect() as conn:
        assert (await conn.execute(sa.text("SELECT count(*) FROM tickets"))).scalar_one() == 1
    assert await sent(store, settings, smtp_server) == []  # no automatic answer to thread replies


async def test_loops_lists_and_our_own_mail_get_no_reply(store: Store, pipeline: MailPipeline, settings: Settings,
                                                          smtp_server: Any) -> None:
    cases = {
        "auto": {"Auto-Submitted": "auto-replied"},
        "bulk": {"Precedence": "bulk"},
        "list": {"List-Id": "<news.example.se>"},
        "suppress": {"X-Auto-Response-Suppress": "All"},
        "bounce": {"Return-Path": "<>"},
    }
    for name, headers in cases.items():
        row, action = await deliver(store, pipeline, make_mail(subject=name, headers=headers))
        assert action == "ignored", name
        assert row.status == "ignored" and row.outcome is not None and row.outcome["reason"]
    row, action = await deliver(store, pipeline, make_mail("Please delete all my personal data.",
                                                           to="privacy@centra.com", headers={"Precedence": "bulk"}))
    assert action == "ignored" and row.outcome is not None and row.outcome["looks_like_request"] == "erasure"
    _, action = await deliver(store, pipeline, make_mail(sender=BOT_FROM))
    assert action == "ignored"
    _, action = await deliver(store, pipeline, make_mail(sender="MAILER-DAEMON@mx.example.se"))
    assert action == "ignored"
    assert await sent(store, settings, smtp_server) == []


async def test_at_most_three_automatic_replies_per_sender_per_hour(store: Store, pipeline: MailPipeline,
                                                                   settings: Settings, smtp_server: Any,
                                                                   clock: Any) -> None:
    for i in range(5):
        row, action = await deliver(store, pipeline, make_mail(subject=f"q{i}"))
        assert action == "answered" and row.status == "done"
    assert len(await sent(store, settings, smtp_server)) == 3
    other, _ = await deliver(store, pipeline, make_mail(sender="bo@example.se"))
    assert other.outcome is not None and other.outcome["reply"]
    clock.advance(hours=1, minutes=1)
    await deliver(store, pipeline, make_mail(subject="later"))
    assert len(await sent(store, settings, smtp_server)) == 2
    from bot.adapters.store.mail_inbox import forget_reply_counts

    assert await forget_reply_counts(store) == 0  # still fresh
    clock.advance(days=2)
    assert await forget_reply_counts(store) == 2  # anna's and bo's counters


async def test_a_bounced_forward_marks_the_ticket_delivery_failed(store: Store, pipeline: MailPipeline,
                                                                  settings: Settings, smtp_server: Any) -> None:
    row, _ = await deliver(store, pipeline, make_mail("Please delete my personal data.", to="privacy@centra.com"))
    assert row.outcome is not None
    reference = row.outcome["ticket"]
    await sent(store, settings, smtp_server)
    forward = next(m for m in await store.outbox_for_ticket(reference) if m.kind == "forward")
    dsn = (
        "From: MAILER-DAEMON@mx.centra.com\r\nTo: " + BOT_FROM + "\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn1@mx.centra.com>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.centra.com\r\n\r\n"
        "Final-Recipient: rfc822; support@centra.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 No such user\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: " + BOT_FROM + "\r\nMessage-ID: "
        + forward.message_id + "\r\nSubject: x\r\n\r\n--B--\r\n").encode()
    bounce_row, action = await deliver(store, pipeline, dsn)
    assert action == "bounce" and bounce_row.status == "ignored"
    ticket = await store.get_ticket(reference)
    assert ticket is not None and ticket.delivery_status == "failed" and ticket.status.value == "failed"
    assert "5.1.1" in (ticket.delivery_error or "")
    assert any(e.kind == "bounce" for e in await store.events(reference))
    assert await sent(store, settings, smtp_server) == []


async def test_oversized_mail_is_kept_raw_and_gets_one_polite_reply(store: Store, pipeline: MailPipeline,
                                                                    settings: Settings, smtp_server: Any) -> None:
    big = make_mail("Here is my question. " + "x" * 100 + "\n" + ("y" * 76 + "\n") * (15 * 1024 * 1024 // 77),
                    subject="Big one")
    assert len(big) > 15 * 1024 * 1024
    row, action = await deliver(store, pipeline, big)
    assert action == "oversized" and row.status == "done" and row.raw == big
    [mail] = await sent(store, settings, smtp_server)
    assert mail.message["Subject"] == "Re: Big one"
    assert "larger than the 10 MB" in mail.message.get_body(("plain",)).get_content()


async def test_junk_is_quarantined_with_its_raw_bytes(store: Store, pipeline: MailPipeline, settings: Settings,
                                                      smtp_server: Any) -> None:
    for junk in (b"\x00\xff garbage", b"Subject: no sender\r\n\r\nhello\r\n", b"   \r\n"):
        row, action = await deliver(store, pipeline, junk)
        assert action == "quarantined" and row.status == "quarantined" and row.raw == junk
        assert row.error
    assert len(await store.list_inbound(status="quarantined")) == 3
    assert await sent(store, settings, smtp_server) == []


async def test_empty_mail_gets_a_polite_reply(store: Store, pipeline: MailPipeline, settings: Settings,
                                              smtp_server: Any) -> None:
    _, action = await deliver(store, pipeline, make_mail("", subject=""))
    assert action == "empty"
    [mail] = await sent(store, settings, smtp_server)
    assert "did not contain any text" in mail.message.get_body(("plain",)).get_content()


async def test_unknown_inbox_without_an_organisation_named_asks_which_one(store: Store, pipeline: MailPipeline,
                                                                         settings: Settings, smtp_server: Any) -> None:
    _, action = await deliver(store, pipeline, make_mail("What cookies do you use?", to="hello@bot.example"))
    assert action == "asked_org"
    [mail] = await sent(store, settings, smtp_server)
    assert "Which organisation" in mail.message.get_body(("plain",)).get_content()


async def test_organisation_from_delivered_to_plus_address_or_the_default(store: Store, service: Service,
                                                                          settings: Settings, smtp_server: Any) -> None:
    from dataclasses import replace

    from .helpers import metas

    pipe = MailPipeline(store, service, replace(settings, default_org="infentre"), metas=metas())
    # Delivered-To (the envelope) wins over the To header a sender can write freely.
    raw = b"Delivered-To: privacy+web@centra.com\r\n" + make_mail("How long do you keep my data?",
                                                                  to="someone@else.example")
    row, _ = await deliver(store, pipe, raw)
    assert row.outcome is not None and row.outcome["org"] == "centra"
    row, _ = await deliver(store, pipe, make_mail("How long do you keep my information?", to="info@bot.example",
                                                  sender="bo@example.se"))
    assert row.outcome is not None and row.outcome["org"] == "infentre"
    unknown_default = MailPipeline(store, service, replace(settings, default_org="nosuchorg"), metas=metas())
    row, action = await deliver(store, unknown_default, make_mail("Which cookies?", to="x@bot.example",
                                                                 sender="cy@example.se"))
    assert action == "asked_org" and row.status == "done"


async def test_a_follow_up_to_our_answer_stays_with_the_same_organisation(
        store: Store, pipeline: MailPipeline, settings: Settings, smtp_server: Any) -> None:
    await deliver(store, pipeline, make_mail("How long do you keep my information?", to="privacy@infentre.com"))
    [answer] = await sent(store, settings, smtp_server)
    assert answer.message["Reply-To"] == "privacy@infentre.com"
    # The asker's mail program answers the bot's own address, not the organisation's inbox.
    follow = make_mail("And do you use cookies?", to=BOT_FROM, subject=f"Re: {answer.message['Subject']}",
                       headers={"In-Reply-To": answer.message["Message-ID"],
                                "References": answer.message["Message-ID"]})
    row, action = await deliver(store, pipeline, follow)
    assert row.outcome is not None and row.outcome["org"] == "infentre" and action != "asked_org"
