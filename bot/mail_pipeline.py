"""Drains the raw inbound mail queue: parse, loop rules, organisation, Service, then reply, file or quarantine."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import socket
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.adapters.mail_in import inbound_wakeup, truncated_size
from bot.adapters.mail_in.compose import reply_mail
from bot.adapters.mail_parse import ParsedMail, parse_message
from bot.adapters.store import InboundRow, Store
from bot.adapters.store.mail_inbox import (
    append_to_ticket,
    find_thread_ticket,
    finish_message,
    forget_reply_counts,
    record_bounce,
)
from bot.config import Settings
from bot.core.mail_replies import ReplyDraft, answer_reply, duplicate_reply, empty_reply, oversized_reply
from bot.core.mail_routing import conversation_org, inbox_map, route_by_recipient
from bot.core.mail_rules import should_not_reply
from bot.core.mailheaders import message_domain
from bot.core.models import Channel, Inquiry, Language, PolicyMeta, Requester
from bot.errors import BotError
from bot.service import Outcome, Service

logger = logging.getLogger(__name__)

REPLIES_PER_HOUR = 3
HEARTBEAT_SECONDS = 30.0
SWEEP_SECONDS = 3600.0
# Failures that say "try again later" rather than "this message is bad": the row stays claimed and is
# taken up again when its lease runs out.
TRANSIENT = (OperationalError, DBAPIError, ConnectionError, TimeoutError)


class MailPipeline:
    """Turns one queued raw message into exactly one recorded outcome (and at most one reply)."""

    def __init__(self, store: Store, service: Service, settings: Settings, *, metas: Sequence[PolicyMeta],
                 replies_per_hour: int = REPLIES_PER_HOUR) -> None:
        self._store = store
        self._service = service
        self._settings = settings
        self._inboxes = inbox_map(metas)
        self._languages = {m.id: m.language for m in metas}
        self._names = {m.id: m.name for m in metas}
        known = {m.id for m in metas}
        self._default_org = settings.default_org if settings.default_org in known else None
        if settings.default_org and self._default_org is None:
            logger.warning("DEFAULT_ORG=%s is not in the knowledge base; mail to other addresses is routed by "
                           "its text", settings.default_org)
        self._own = (settings.mail_from, *self._inboxes)
        self._own_domains = (message_domain(settings.mail_from).lower(),)
        self._replies_per_hour = replies_per_hour

    async def process(self, row: InboundRow) -> str:
        """Handle one claimed row; returns the action taken. Transient failures propagate (retry later)."""
        try:
            return await self._process(row)
        except TRANSIENT:
            raise
        except Exception as exc:
            # A bug or a message no rule foresaw: keep it raw and visible rather than retrying forever.
            logger.exception("inbound message %s could not be processed; quarantined", row.id,
                             extra={"inbound_id": row.id})
            await self._store.finish_inbound(row.id, status="quarantined", outcome={"action": "quarantined"},
                                             error=f"internal error: {type(exc).__name__}: {exc}")
            return "quarantined"

    async def _process(self, row: InboundRow) -> str:
        # A giant the IMAP poller fetched only by its header is handled like any oversized mail.
        size = truncated_size(row.raw) or row.size
        parsed = parse_message(row.raw, max_bytes=0 if size != row.size else self._settings.max_mail_bytes,
                               trusted_authserv_ids=self._settings.mail_authserv_ids or None)
        if parsed.from_address is None or (parsed.problem is not None and not parsed.oversized):
            problem = parsed.problem or "no usable sender address"
            logger.warning("inbound message %s quarantined: %s", row.id, problem, extra={"inbound_id": row.id})
            await self._store.finish_inbound(row.id, status="quarantined", outcome={"action": "quarantined"},
                                             error=problem)
            return "quarantined"
        if parsed.bounce is not None:
            bounce = parsed.bounce
            await record_bounce(self._store, row.id, original_message_id=bounce.original_message_id,
                                reference=bounce.reference, permanent=bounce.permanent, detail={
                                    "status": bounce.status, "action": bounce.action,
                                    "diagnostic": bounce.diagnostic[:500],
                                    "recipients": list(bounce.recipients), "inbound_id": row.id})
            return "bounce"
        reason = should_not_reply(parsed.headers, parsed.from_address, self._own,
                                  own_message_id_domains=self._own_domains)
        ticket = await find_thread_ticket(self._store, parsed.thread_ids, parsed.ticket_reference)
        if ticket is not None:
            await append_to_ticket(self._store, row.id, ticket, detail=self._thread_detail(row, parsed, reason))
            return "thread"
        org = (route_by_recipient(parsed.recipients, self._inboxes) or self._conversation_org(parsed)
               or self._default_org)
        if reason is not None:
            return await self._ignore(row, parsed, reason, org)
        language = self._languages.get(org or "", Language.EN)
        if parsed.oversized:
            logger.warning("inbound message %s is %d bytes, over MAX_MAIL_BYTES=%d: kept raw, polite reply",
                           row.id, size, self._settings.max_mail_bytes, extra={"inbound_id": row.id})
            draft = oversized_reply(to=parsed.from_address, subject=parsed.subject, size=size,
                                    limit=self._settings.max_mail_bytes, language=language,
                                    **self._thread(parsed))
            return await self._finish(row, parsed, "oversized", draft)
        text = parsed.text.strip() or parsed.body.strip() or parsed.subject.strip()
        if not text:
            draft = empty_reply(to=parsed.from_address, subject=parsed.subject, language=language,
                                **self._thread(parsed))
            return await self._finish(row, parsed, "empty", draft)
        inquiry = Inquiry(text=text, channel=Channel.EMAIL, org=org, external_id=parsed.message_id,
                          requester=Requester(channel=Channel.EMAIL, address=parsed.from_address,
                                              name=parsed.from_name, evidence=self._evidence(parsed)))
        outcome = await self._handle(inquiry)
        return await self._conclude(row, parsed, outcome)

    async def _ignore(self, row: InboundRow, parsed: ParsedMail, reason: str, org: str | None) -> str:
        """No automatic answer (RFC 3834) and no ticket; but a message that reads like a rights request is
        flagged in its outcome and the log, so staff find it (``python -m bot mail list --status ignored``)."""
        outcome: dict[str, Any] = {"action": "ignored", "reason": reason}
        text = parsed.text.strip() or parsed.body.strip()
        if text and not parsed.oversized:
            try:
                request = self._service.answer(Inquiry(text=text, channel=Channel.EMAIL, org=org)).request
            except BotError:
                request = None
            if request is not None:
                outcome["looks_like_request"] = request.right.value
                logger.warning("inbound message %s was not answered (%s) but reads like a %s request; "
                               "check it by hand", row.id, reason, request.right.value, extra={"inbound_id": row.id})
        if "looks_like_request" not in outcome:
            logger.info("inbound message %s: no reply (%s)", row.id, reason, extra={"inbound_id": row.id})
        await self._store.finish_inbound(row.id, status="ignored", outcome=outcome)
        return "ignored"

    async def _handle(self, inquiry: Inquiry) -> Outcome:
        try:
            return await self._service.handle(inquiry)
        except TRANSIENT:
            raise
        except BotError as exc:
            # e.g. a request whose organisation is unknown: answer (ask which one) without filing.
            logger.info("filing refused (%s); answering only", type(exc).__name__)
            return await self._service.handle(inquiry, file=False)

    async def _conclude(self, row: InboundRow, parsed: ParsedMail, outcome: Outcome) -> str:
        answer = outcome.answer
        assert parsed.from_address is not None
        if outcome.ticket is not None:
            ticket = await self._store.get_ticket(outcome.ticket.reference)
            ticket_id = None if ticket is None else ticket.id
            if outcome.ticket.duplicate:
                draft = duplicate_reply(answer, to=parsed.from_address, subject=parsed.subject,
                                        reference=outcome.ticket.reference, deadline=outcome.ticket.deadline,
                                        **self._thread(parsed))
                return await self._finish(row, parsed, "duplicate", draft, ticket_id=ticket_id,
                                          extra={"ticket": outcome.ticket.reference})
            # The acknowledgement was queued with the ticket, in the same transaction.
            await finish_message(self._store, row.id, status="done", ticket_id=ticket_id,
                                 outcome={"action": "ticket", "ticket": outcome.ticket.reference,
                                          "right": answer.request.right.value if answer.request else None})
            return "ticket"
        draft = answer_reply(answer, to=parsed.from_address, subject=parsed.subject, org_names=self._names,
                             **self._thread(parsed))
        action = "answered" if answer.answered else ("asked_org" if answer.choices else "abstained")
        return await self._finish(row, parsed, action, draft, extra={"org": answer.org}, org=answer.org)

    async def _finish(self, row: InboundRow, parsed: ParsedMail, action: str, draft: ReplyDraft, *,
                      ticket_id: int | None = None, extra: dict[str, Any] | None = None,
                      org: str | None = None) -> str:
        # The organisation travels with the conversation: in our Message-ID (a reply to our answer names
        # it) and as Reply-To its inbox, so a follow-up question is answered for the same organisation.
        inbox = next((a for a, o in self._inboxes.items() if o == org), None)
        if inbox is not None:
            draft = dataclasses.replace(draft, reply_to=inbox)
        mail = reply_mail(draft, mail_from=self._settings.mail_from, date=self._store.now(),
                          id_hint=f"reply.{row.id}.{org}" if org else f"reply.{row.id}")
        queued = await finish_message(self._store, row.id, status="done", ticket_id=ticket_id,
                                      outcome={"action": action, **(extra or {})}, reply=mail,
                                      reply_to=parsed.from_address, limit=self._replies_per_hour)
        if not queued:
            logger.info("inbound message %s: reply suppressed by the per-sender rate limit", row.id,
                        extra={"inbound_id": row.id})
        return action

    def _conversation_org(self, parsed: ParsedMail) -> str | None:
        org = conversation_org(parsed.thread_ids, self._own_domains)
        return org if org in self._languages else None

    @staticmethod
    def _thread(parsed: ParsedMail) -> dict[str, Any]:
        if parsed.synthetic_message_id:
            return {"in_reply_to": None, "references": ()}
        return {"in_reply_to": parsed.message_id, "references": parsed.references}

    @staticmethod
    def _evidence(parsed: ParsedMail) -> tuple[tuple[str, str], ...]:
        evidence = [(k, v) for k, v in parsed.auth_results]
        if parsed.reply_to and parsed.reply_to != parsed.from_address:
            evidence.append(("reply_to", parsed.reply_to))
        return tuple(evidence)

    @staticmethod
    def _thread_detail(row: InboundRow, parsed: ParsedMail, reason: str | None) -> dict[str, Any]:
        return {"from": parsed.from_address, "name": parsed.from_name, "subject": parsed.subject,
                "message_id": parsed.message_id, "text": parsed.text or parsed.body,
                "received_at": row.received_at.isoformat(), "inbound_id": row.id,
                "attachments": [a.filename or a.content_type for a in parsed.attachments],
                "evidence": [list(p) for p in parsed.auth_results], "automatic": reason}


def worker_name(kind: str) -> str:
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{id(asyncio.current_task())}"


async def _wait(event: asyncio.Event, stop: asyncio.Event, timeout: float) -> None:
    waiters = {asyncio.ensure_future(event.wait()), asyncio.ensure_future(stop.wait())}
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def run_pipeline(store: Store, service: Service, settings: Settings, stop: asyncio.Event, *,
                       metas: Sequence[PolicyMeta] | None = None, poll_seconds: float = 1.0,
                       batch: int = 20) -> None:
    """Process queued mail until ``stop`` is set; wakes at once for mail queued in this process."""
    if metas is None:
        from bot.adapters.knowledge_files import load_folder

        metas = [p.meta for p in load_folder(settings.knowledge_dir)]
    pipeline = MailPipeline(store, service, settings, metas=metas)
    worker = worker_name("mail")
    wakeup = inbound_wakeup(store)
    logger.info("mail pipeline started")
    loop = asyncio.get_running_loop()
    last_beat = 0.0
    last_sweep = loop.time()
    try:
        while not stop.is_set():
            wakeup.clear()
            try:
                rows = await store.claim_inbound(worker, limit=batch)
                for row in rows:
                    await pipeline.process(row)
                if rows:
                    continue
                if loop.time() - last_beat > HEARTBEAT_SECONDS:
                    await store.heartbeat("mail.pipeline")
                    last_beat = loop.time()
                if loop.time() - last_sweep > SWEEP_SECONDS:
                    await forget_reply_counts(store)
                    last_sweep = loop.time()
            except TRANSIENT:
                logger.warning("mail pipeline: database unavailable; retrying", exc_info=True)
                await _wait(asyncio.Event(), stop, 5.0)
                try:
                    await store.release_inbound(worker)
                except TRANSIENT:
                    logger.debug("release failed; leases will expire", exc_info=True)
                continue
            await _wait(wakeup, stop, poll_seconds)
    finally:
        try:
            await store.release_inbound(worker)
        except Exception:  # unreleased rows are retaken when their lease runs out
            logger.warning("could not release claimed inbound mail", exc_info=True)
        logger.info("mail pipeline stopped")
