"""The worker's daily duties: deadline reminders (staff digest, Slack, organisations) and the retention purge."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from bot.adapters.store import OutboxKind, Store, TicketQuery, TicketRow
from bot.adapters.store import schema as tables
from bot.config import Settings
from bot.core.models import Language, PolicyMeta
from bot.core.notices import reminder_draft
from bot.core.reminders import (
    DigestItem,
    Threshold,
    claim_key,
    deadline_threshold,
    digest_draft,
    digest_text,
    needs_ack_reminder,
)
from bot.filing import mail_from_draft

logger = logging.getLogger(__name__)

# Passes are idempotent (every reminder is claimed once), so checking hourly only makes them timely.
INTERVAL_SECONDS = 3600.0
HEARTBEAT_KEY = "reminders.last_run"
SLACK_UNPOSTED = "reminders.slack_unposted."
ACTOR = "reminders"


@dataclass
class ReminderReport:
    """What one pass did: references only."""

    digest: list[str] = field(default_factory=list)  # tickets in the staff digest
    ack_reminders: list[str] = field(default_factory=list)  # tickets whose organisation was reminded
    digest_message_id: str | None = None
    slack_posted: bool = False
    slack_retried: int = 0  # earlier digests Slack refused, posted now


async def run_reminders(store: Store, settings: Settings, stop: asyncio.Event, *,
                        metas: Sequence[PolicyMeta], interval: float = INTERVAL_SECONDS) -> None:
    """Until ``stop``: send due reminders, then purge expired personal data, every ``interval`` seconds."""
    from bot.adapters.store.retention import purge_expired

    while not stop.is_set():
        try:
            report = await send_reminders(store, settings, metas=metas)
            if report.digest or report.ack_reminders:
                logger.info("reminders: %d ticket(s) in the staff digest, %d organisation reminder(s)",
                            len(report.digest), len(report.ack_reminders))
            purged = await purge_expired(store, months=settings.retention_months, actor="retention")
            if purged.tickets:
                logger.info("retention: erased personal data of %d closed ticket(s)", len(purged.tickets))
            await store.heartbeat(HEARTBEAT_KEY)
        except Exception:  # a database blip must not end the loop: the next pass catches up
            logger.exception("reminder pass failed; trying again in %.0f s", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


async def send_reminders(store: Store, settings: Settings, *, metas: Sequence[PolicyMeta],
                         today: date | None = None) -> ReminderReport:
    """One pass: claim and queue every reminder now due; each ticket and threshold exactly once."""
    day = today or store.now().date()
    names = {m.id: m for m in metas}
    report = ReminderReport()
    if settings.slack_staff_channel and settings.slack_bot_token:
        report.slack_retried = await _post_unposted(store, settings)
    open_tickets = await store.iter_tickets(TicketQuery(open_only=True), today=day)
    await _staff_digest(store, settings, open_tickets, names, day, report)
    for ticket in open_tickets:
        if needs_ack_reminder(status=ticket.status.value, today=day, ack_days=settings.reminder_ack_days,
                              forwarded=ticket.forwarded_at.date() if ticket.forwarded_at else None,
                              acknowledged=ticket.acknowledged_at is not None,
                              has_contact=bool(ticket.contact_address)) \
                and await _remind_organisation(store, settings, ticket, names.get(ticket.org), day):
            report.ack_reminders.append(ticket.reference)
    return report


async def _staff_digest(store: Store, settings: Settings, tickets: Sequence[TicketRow],
                        names: dict[str, PolicyMeta], day: date, report: ReminderReport) -> None:
    slack = bool(settings.slack_staff_channel and settings.slack_bot_token)
    if not settings.staff_email and not slack:
        return  # nobody to tell: claim nothing, so configuring a recipient later still sends them
    due = [(t, th) for t in tickets if (th := deadline_threshold(t.effective_deadline, day)) is not None]
    if not due:
        return
    async with store.tx() as conn:
        won: list[DigestItem] = []
        for ticket, threshold in due:
            # Claimed in the same transaction as the mail is queued: a second worker waits, then skips.
            if await store.insert_ignore(conn, tables.processed_events, {
                    "key": claim_key(ticket.reference, threshold), "source": "reminder", "at": store.now()},
                    keys=("key",)):
                meta = names.get(ticket.org)
                won.append(DigestItem(reference=ticket.reference, org_name=meta.name if meta else ticket.org,
                                      right=ticket.right, status=ticket.status.value,
                                      deadline=ticket.effective_deadline, threshold=threshold))
                await store.add_event(conn, ticket.id, actor=ACTOR, kind="reminder",
                                      detail={"threshold": threshold.value, "to": "staff"})
        if not won:
            return
        if settings.staff_email:
            mail = mail_from_draft(digest_draft(won, staff_email=settings.staff_email, today=day,
                                                public_url=settings.public_url),
                                   kind=OutboxKind.REMINDER, mail_from=settings.mail_from, date=store.now(),
                                   id_hint=f"digest-{day.isoformat()}")
            await store.queue_mails_in(conn, None, [mail], actor=ACTOR)
            report.digest_message_id = mail.message_id
    store.outbox_wakeup.set()
    report.digest = [item.reference for item in won]
    if slack:
        text = digest_text(won, today=day, public_url=settings.public_url)
        report.slack_posted = await _post_slack(settings, text)
        if not report.slack_posted:
            # Kept until a later pass gets it through: the mailed digest alone is not enough for Slack-only sites.
            await store.set_state(f"{SLACK_UNPOSTED}{day.isoformat()}.{uuid.uuid4().hex[:8]}", text)


async def _remind_organisation(store: Store, settings: Settings, ticket: TicketRow, meta: PolicyMeta | None,
                               day: date) -> bool:
    """One polite reminder to the contact address, recorded on the ticket; False when sent before."""
    assert ticket.contact_address is not None and ticket.forwarded_at is not None
    draft = reminder_draft(reference=ticket.reference, org_name=meta.name if meta else ticket.org,
                           contact_address=ticket.contact_address, right=ticket.right,
                           forwarded=ticket.forwarded_at.date(), deadline=ticket.effective_deadline, today=day,
                           language=meta.language if meta else Language.EN)
    mail = mail_from_draft(draft, kind=OutboxKind.REMINDER, mail_from=settings.mail_from, date=store.now(),
                           id_hint=ticket.reference)
    async with store.tx() as conn:
        if not await store.insert_ignore(conn, tables.processed_events, {
                "key": claim_key(ticket.reference, Threshold.UNACKNOWLEDGED), "source": "reminder",
                "at": store.now()}, keys=("key",)):
            return False
        await store.add_event(conn, ticket.id, actor=ACTOR, kind="reminder",
                              detail={"threshold": Threshold.UNACKNOWLEDGED.value, "to": "organisation"})
        await store.queue_mails_in(conn, ticket, [mail], actor=ACTOR)
    store.outbox_wakeup.set()
    logger.info("ticket %s: reminded the organisation of an unacknowledged forward", ticket.reference,
                extra={"ticket": ticket.reference})
    return True


async def _post_unposted(store: Store, settings: Settings) -> int:
    """Post digests an earlier pass could not; each is taken by deleting its row, so one worker posts it."""
    async with store.read() as conn:
        rows = (await conn.execute(sa.select(tables.kv_state.c.key, tables.kv_state.c.value).where(
            tables.kv_state.c.key.startswith(SLACK_UNPOSTED)).order_by(tables.kv_state.c.key))).all()
    posted = 0
    for key, text in rows:
        async with store.tx() as conn:
            taken = (await conn.execute(tables.kv_state.delete().where(tables.kv_state.c.key == key))).rowcount
        if not taken:
            continue
        if await _post_slack(settings, text):
            posted += 1
        else:
            await store.set_state(key, text)
            break  # Slack is still failing: keep the rest for the next pass
    return posted


async def _post_slack(settings: Settings, text: str) -> bool:
    """Post the digest to the staff channel; a failure is logged (the mail digest is the record)."""
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=15)
    try:
        await client.chat_postMessage(channel=settings.slack_staff_channel or "", text=text, unfurl_links=False)
    except Exception as exc:  # API errors, refused connections, timeouts: the mailed digest still stands
        logger.warning("could not post the reminder digest to Slack: %s", type(exc).__name__)
        return False
    return True

