"""Builders for the store tests: answers carrying requests, inquiries from each channel."""

from __future__ import annotations

from datetime import date, datetime

from bot.adapters.store import NewTicket, OutgoingMail, TicketRow
from bot.core.models import (
    Answer,
    Channel,
    Citation,
    Identifiers,
    Inquiry,
    Language,
    PolicyMeta,
    RecognisedRequest,
    Requester,
    Right,
)
from bot.core.tickets import deadline_for

ORGS = {
    "centra": PolicyMeta(id="centra", name="Centra", language=Language.EN, contact_email="privacy@centra.com"),
    "icentrex": PolicyMeta(id="icentrex", name="iCentrex", language=Language.SV,
                           contact_note="the policy names no e-mail address"),
}


def request_answer(*, org: str = "centra", right: Right = Right.ACCESS, forward_to: str | None = "privacy@centra.com",
                   language: Language = Language.EN, emails: tuple[str, ...] = (),
                   reason: str | None = None) -> Answer:
    return Answer(
        org=org, answered=True, reply="We will forward your request.", language=language,
        citations=(Citation(org=org, section="Your rights", passage_id=f"{org}:your-rights:1",
                            text="You may ask for a copy.", score=3.2, quote="You may ask for a copy."),),
        request=RecognisedRequest(right=right, forward_to=forward_to, no_address_reason=reason,
                                  identifiers=Identifiers(emails=emails)),
    )


def email_inquiry(text: str = "Please send me a copy of all data you hold about me.", *,
                  sender: str = "anna@example.se", name: str | None = "Anna Svensson",
                  message_id: str | None = "<m1@example.se>", org: str | None = "centra") -> Inquiry:
    return Inquiry(text=text, channel=Channel.EMAIL, org=org,
                   requester=Requester(channel=Channel.EMAIL, address=sender, name=name,
                                       evidence=(("dkim", "pass"), ("spf", "pass"))),
                   external_id=message_id)


def new_ticket(received_at: datetime, *, org: str = "centra", right: str = "access",
               requester: str | None = "anna@example.se", contact: str | None = "privacy@centra.com",
               channel: str = "email", external_id: str | None = None, text: str = "send me my data",
               name: str | None = "Anna") -> NewTicket:
    return NewTicket(org=org, right=right, article="15", language="en", channel=channel, original_text=text,
                     received_at=received_at, deadline=deadline_for(received_at.date()),
                     requester_address=requester, requester_name=name, external_id=external_id,
                     contact_address=contact)


def simple_mails(ticket: TicketRow) -> list[OutgoingMail]:
    mails = []
    if ticket.contact_address:
        raw = f"Subject: [{ticket.reference}] fwd\r\n\r\nx\r\n".encode()
        mails.append(OutgoingMail("forward", f"<{ticket.reference}.forward@bot.test>", "bot@bot.test",
                                  (ticket.contact_address,), raw))
    if ticket.requester_address:
        raw = f"Subject: [{ticket.reference}] ack\r\n\r\ny\r\n".encode()
        mails.append(OutgoingMail("ack", f"<{ticket.reference}.ack@bot.test>", "bot@bot.test",
                                  (ticket.requester_address,), raw))
    return mails


def received_day(dt: datetime) -> date:
    return dt.date()
