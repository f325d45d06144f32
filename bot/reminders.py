"""The worker's daily duties: deadline reminders (staff digest, Slack, organisations) and the retention purge."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.adapters.store import OutboxKind, OutgoingMail, Store, TicketQuery, TicketRow
from bot.adapters.store.claims import Claim, claim_and_queue, defer, deferred, put_back, take
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
# Slack retries an event for about an hour, and a button stays clickable for weeks: 90 days is ample.
# Other sources' keys (reminders, forwards) guard a once-ever action and are kept.
SLACK_EVENT_KEYS_KEPT = timedelta(days=90)
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
    from bot.adapters.eml_files import remove_eml_copies
    from bot.adapters.store.retention import purge_expired

    while not stop.is_set():
        try:
            report = await send_reminders(store, settings, metas=metas)
            if report.digest or report.ack_reminders:
                logger.info("reminders: %d ticket(s) in the staff digest, %d organisation reminder(s)",
                            len(report.digest), len(report.ack_reminders))
            purged = await purge_expired(store, months=settings.retention_months, actor="retention")
            await store.forget_events(SLACK_EVENT_KEYS_KEPT, sources=("slack",))
            await asyncio.to_thread(remove_eml_copies, settings.outbox_dir, purged.message_ids)
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
    due = [Claim(ticket, claim_key(ticket.reference, threshold), detail={"threshold": threshold.value, "to": "staff"})
           for ticket in tickets if (threshold := deadline_threshold(ticket.effective_deadline, day)) is not None]
    if not due:
        return

    def item(claim: Claim) -> DigestItem:
        ticket, meta = claim.ticket, names.get(claim.ticket.org)
        return DigestItem(reference=ticket.reference, org_name=meta.name if meta else ticket.org, right=ticket.right,
                          status=ticket.status.value, deadline=ticket.effective_deadline,
                          threshold=Threshold(claim.detail["threshold"]))

    def compose(won: Sequence[Claim]) -> list[OutgoingMail]:
        if not settings.staff_email:
            return []
        draft = digest_draft([item(c) for c in won], staff_email=settings.staff_email, today=day,
                             public_url=settings.public_url)
        mail = mail_from_draft(draft, kind=OutboxKind.REMINDER, mail_from=settings.mail_from, date=store.now(),
                               id_hint=f"digest-{day.isoformat()}")
        report.digest_message_id = mail.message_id
        return [mail]

    won = await claim_and_queue(store, due, actor=ACTOR, compose=compose)
    report.digest = [claim.ticket.reference for claim in won]
    if won and slack:
        text = digest_text([item(c) for c in won], today=day, public_url=settings.public_url)
        report.slack_posted = await _post_slack(settings, text)
        if not report.slack_posted:
            # Kept until a later pass gets it through: the mailed digest alone is not enough for Slack-only sites.
            await defer(store, SLACK_UNPOSTED, text)


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
    claim = Claim(ticket, claim_key(ticket.reference, Threshold.UNACKNOWLEDGED),
                  detail={"threshold": Threshold.UNACKNOWLEDGED.value, "to": "organisation"})
    if not await claim_and_queue(store, [claim], actor=ACTOR, compose=lambda _: [mail], attach_to=ticket):
        return False
    logger.info("ticket %s: reminded the organisation of an unacknowledged forward", ticket.reference,
                extra={"ticket": ticket.reference})
    return True


async def _post_unposted(store: Store, settings: Settings) -> int:
    """Post digests an earlier pass could not; each is taken by deleting its row, so one worker posts it."""
    posted = 0
    for key, text in await deferred(store, SLACK_UNPOSTED):
        if not await take(store, key):
            continue
        if await _post_slack(settings, text):
            posted += 1
        else:
            await put_back(store, key, text)
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

