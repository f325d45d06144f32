"""``TicketFiler``: turns a recognised request into a ticket plus its forward and acknowledgement mails."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from bot.adapters.store import FiledResult, NewTicket, OutboxKind, OutgoingMail, Store, TicketRow
from bot.core.mailheaders import clean_address, clean_message_id, message_domain
from bot.core.models import Answer, Channel, Inquiry, Language, PolicyMeta, Requester
from bot.core.notices import MailDraft, acknowledgement_draft, forward_draft
from bot.core.tickets import ARTICLE, deadline_for
from bot.errors import InvalidInput
from bot.service import FiledTicket

logger = logging.getLogger(__name__)



def new_message_id(kind: str, *, mail_from: str, hint: str = "") -> str:
    """``<DSR-2026-00042.forward.<random>@our-domain>``: short enough that no header folding splits it."""
    local = ".".join(p for p in (hint, kind, uuid.uuid4().hex[:20]) if p)
    return f"<{local}@{message_domain(mail_from)}>"


def mail_from_draft(draft: MailDraft, *, kind: str, mail_from: str, date: datetime,
                    id_hint: str = "") -> OutgoingMail:
    """The exact MIME bytes (std ``email``, policy.default, CRLF for SMTP) with a fresh stable Message-ID."""
    msg = EmailMessage(policy=policy.default)
    msg["From"] = mail_from
    msg["To"] = ", ".join(draft.to)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(date)
    message_id = new_message_id(kind, mail_from=mail_from, hint=id_hint)
    msg["Message-ID"] = message_id
    if draft.reply_to:
        msg["Reply-To"] = draft.reply_to
    for name, value in draft.headers:
        msg[name] = value
    msg.set_content(draft.text)
    return OutgoingMail(kind=kind, message_id=message_id, mail_from=mail_from, recipients=tuple(draft.to),
                        raw=msg.as_bytes(policy=policy.SMTP))


class TicketFiler:
    """Implements ``bot.service.TicketFiler`` over the ``Store``; also routes and resends for staff."""

    def __init__(self, store: Store, *, mail_from: str, orgs: Mapping[str, PolicyMeta] | None = None) -> None:
        self._store = store
        self._mail_from = mail_from
        self._orgs: Mapping[str, PolicyMeta] = orgs if orgs is not None else {}  # live in a server

    async def file_request(self, inquiry: Inquiry, answer: Answer, *, received_at: datetime) -> FiledTicket:
        result = await self.file(inquiry, answer, received_at=received_at)
        return FiledTicket(reference=result.ticket.reference,
                           deadline=result.ticket.effective_deadline.isoformat(), duplicate=result.duplicate)

    async def file(self, inquiry: Inquiry, answer: Answer, *, received_at: datetime) -> FiledResult:
        """File and return the store's full result (the ticket row, duplicate / existing flags)."""
        request = answer.request
        if request is None:
            raise InvalidInput("this message is not a rights request; nothing to file")
        org = answer.org or inquiry.org
        if org is None:
            raise InvalidInput("cannot file a request without knowing which organisation it is for")
        requester = inquiry.requester or Requester(channel=inquiry.channel)
        stated = request.identifiers
        evidence = list(requester.evidence)
        evidence += [("stated_email", e) for e in stated.emails]
        evidence += [("stated_phone", p) for p in stated.phones]
        address = (requester.address or "").strip() or None
        if address is None and stated.emails:
            address = stated.emails[0]
        new = NewTicket(
            org=org, right=request.right.value, article=ARTICLE[request.right], language=answer.language.value,
            channel=inquiry.channel.value, original_text=inquiry.text, received_at=received_at,
            deadline=deadline_for(received_at.date()), requester_address=address,
            requester_name=requester.name or stated.name, requester_evidence=tuple(evidence),
            external_id=inquiry.external_id,
            citations=tuple({"org": c.org, "section": c.section, "passage_id": c.passage_id, "quote": c.quote,
                             "score": round(c.score, 4)} for c in answer.citations),
            contact_address=clean_address(request.forward_to),
        )
        ack_to = self._ack_address(requester, inquiry.channel)
        in_reply_to = inquiry.external_id if inquiry.channel is Channel.EMAIL else None

        def compose(ticket: TicketRow) -> Sequence[OutgoingMail]:
            mails = [] if ticket.contact_address is None else [self._forward(ticket)]
            if ack_to is not None:
                draft = acknowledgement_draft(
                    reference=ticket.reference, org_name=self._org_name(ticket.org), requester_address=ack_to,
                    right=ticket.right, deadline=ticket.deadline, contact_address=ticket.contact_address,
                    requester_name=ticket.requester_name, language=ticket.language,
                    no_address_reason=request.no_address_reason,
                    in_reply_to=clean_message_id(in_reply_to))
                mails.append(mail_from_draft(draft, kind=OutboxKind.ACK, mail_from=self._mail_from,
                                             date=ticket.created_at, id_hint=ticket.reference))
            return mails

        return await self._store.file_request(new, compose)

    async def route(self, reference: str, address: str, *, actor: str) -> TicketRow:
        """Staff give a ``needs_routing`` ticket its contact address: the forward is queued."""
        return await self._store.route_ticket(reference, address, actor=actor,
                                              compose=lambda ticket: [self._forward(ticket)])

    async def resend_forward(self, reference: str, *, actor: str) -> TicketRow:
        """Queue the forward again (new Message-ID; e.g. after the contact address bounced and was fixed)."""
        return await self._store.requeue(reference, actor=actor, compose=lambda ticket: [self._forward(ticket)],
                                         kind="resend_forward")

    def _forward(self, ticket: TicketRow) -> OutgoingMail:
        assert ticket.contact_address is not None
        meta = self._orgs.get(ticket.org)
        draft = forward_draft(
            reference=ticket.reference, org_name=self._org_name(ticket.org), contact_address=ticket.contact_address,
            right=ticket.right, original_text=ticket.original_text, received=ticket.received_at.date(),
            deadline=ticket.effective_deadline, requester_address=ticket.requester_address,
            requester_name=ticket.requester_name, channel=ticket.channel, evidence=ticket.requester_evidence,
            language=meta.language if meta is not None else Language.EN)
        return mail_from_draft(draft, kind=OutboxKind.FORWARD, mail_from=self._mail_from,
                               date=ticket.updated_at, id_hint=ticket.reference)

    def _org_name(self, org: str) -> str:
        meta = self._orgs.get(org)
        return meta.name if meta is not None else org

    @staticmethod
    def _ack_address(requester: Requester, channel: Channel) -> str | None:
        """Where the acknowledgement goes: the sender's own address, else an address the channel verified.

        Addresses merely written in the message are not used: that would let anyone make the bot mail a
        stranger.
        """
        if channel is not Channel.SLACK:
            own = clean_address(requester.address)
            if own is not None:
                return own
        for key, value in requester.evidence:
            if key == "slack_verified_email":
                return clean_address(value)
        return None
