"""Deadline reminders: one staff digest per threshold crossing, Slack, one nudge per unacknowledged forward."""

from __future__ import annotations

import asyncio
from datetime import date
from email import message_from_bytes, policy
from typing import Any

import pytest
from slack.standin import BOT_TOKEN, SlackStandIn

from bot.adapters.store import Store
from bot.config import Settings
from bot.core.models import Language, PolicyMeta
from bot.core.reminders import Threshold, deadline_threshold, needs_ack_reminder
from bot.core.tickets import Status
from bot.reminders import run_reminders, send_reminders

from .helpers import close, days_ago, file_ticket, forward

METAS = [PolicyMeta(id="centra", name="Centra", language=Language.EN, contact_email="privacy@centra.com")]


def settings(**kwargs: Any) -> Settings:
    return Settings(mail_from="bot@bot.test", staff_email="staff@bot.test", **kwargs)


async def reminder_mails(store: Store) -> list[Any]:
    return [m for m in await store.list_outbox() if m.kind == "reminder"]


def test_thresholds_are_the_most_urgent_reached() -> None:
    today = date(2026, 3, 10)
    assert deadline_threshold(date(2026, 3, 18), today) is None
    assert deadline_threshold(date(2026, 3, 17), today) is Threshold.WEEK
    assert deadline_threshold(date(2026, 3, 13), today) is Threshold.WEEK
    assert deadline_threshold(date(2026, 3, 12), today) is Threshold.TWO_DAYS
    assert deadline_threshold(date(2026, 3, 10), today) is Threshold.TWO_DAYS
    assert deadline_threshold(date(2026, 3, 9), today) is Threshold.OVERDUE
    base = {"forwarded": date(2026, 3, 3), "acknowledged": False, "has_contact": True, "today": today,
            "ack_days": 7}
    assert needs_ack_reminder(status="forwarded", **base)
    assert not needs_ack_reminder(status="acknowledged", **base)
    assert not needs_ack_reminder(status="forwarded", **{**base, "forwarded": date(2026, 3, 4)})
    assert not needs_ack_reminder(status="forwarded", **{**base, "acknowledged": True})


async def test_digest_lists_each_ticket_once_per_threshold(store: Store, clock: Any) -> None:
    now = clock()
    week = await file_ticket(store, days_ago(now, 21), requester="a@example.se")  # deadline in 7 days
    two = await file_ticket(store, days_ago(now, 26), requester="b@example.se")  # in 2 days
    over = await file_ticket(store, days_ago(now, 40), requester="c@example.se")  # overdue
    await file_ticket(store, days_ago(now, 5), requester="d@example.se")  # far off
    done = await close(store, await file_ticket(store, days_ago(now, 45), requester="e@example.se"))

    report = await send_reminders(store, settings(), metas=METAS)
    assert sorted(report.digest) == sorted([week.reference, two.reference, over.reference])
    mails = await reminder_mails(store)
    assert len(mails) == 1 and mails[0].recipients == ("staff@bot.test",) and mails[0].ticket_id is None
    message = message_from_bytes(mails[0].raw, policy=policy.default)
    assert message["Subject"] == "Privacy requests 2026-03-10: 1 overdue, 2 due soon"
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert over.reference in body and week.reference in body and done.reference not in body
    assert "a@example.se" not in body and "Anna" not in body  # ids only
    assert body.index("Overdue:") < body.index("Due within 2 days:") < body.index("Due within 7 days:")
    events = await store.events(week.reference)
    assert [e.detail for e in events if e.kind == "reminder"] == [{"threshold": "7d", "to": "staff"}]

    again = await send_reminders(store, settings(), metas=METAS)
    assert again.digest == [] and len(await reminder_mails(store)) == 1

    clock.advance(days=5)  # the 7-day ticket is now 2 days out, the 2-day one overdue
    later = await send_reminders(store, settings(), metas=METAS)
    assert sorted(later.digest) == sorted([week.reference, two.reference])
    assert len(await reminder_mails(store)) == 2


async def test_two_workers_send_each_reminder_once(store: Store, store_url: str, clock: Any) -> None:
    now = clock()
    refs = {(await file_ticket(store, days_ago(now, 25), requester=f"p{i}@example.se")).reference for i in range(6)}
    other = await Store.open(store_url, clock=clock)
    try:
        first, second = await asyncio.gather(send_reminders(store, settings(), metas=METAS),
                                             send_reminders(other, settings(), metas=METAS))
    finally:
        await other.close()
    assert sorted(first.digest + second.digest) == sorted(refs)
    assert len(await reminder_mails(store)) == (1 if not first.digest or not second.digest else 2)
    listed = [r for m in await reminder_mails(store) for r in refs if r.encode() in m.raw]
    assert sorted(listed) == sorted(refs)  # every ticket in exactly one digest


async def test_nobody_configured_claims_nothing(store: Store, clock: Any) -> None:
    ticket = await file_ticket(store, days_ago(clock(), 25))
    report = await send_reminders(store, Settings(mail_from="bot@bot.test"), metas=METAS)
    assert report.digest == [] and await reminder_mails(store) == []
    later = await send_reminders(store, settings(), metas=METAS)  # staff address configured later
    assert later.digest == [ticket.reference]


async def test_unacknowledged_forward_gets_one_polite_reminder(store: Store, clock: Any) -> None:
    ticket = await forward(store, await file_ticket(store, clock()))
    acked = await forward(store, await file_ticket(store, clock(), requester="z@example.se"))
    await store.transition(acked.reference, Status.ACKNOWLEDGED, actor="test")
    clock.advance(days=6)
    assert (await send_reminders(store, settings(reminder_ack_days=7), metas=METAS)).ack_reminders == []
    clock.advance(days=1)
    report = await send_reminders(store, settings(reminder_ack_days=7), metas=METAS)
    assert report.ack_reminders == [ticket.reference]
    mails = [m for m in await store.outbox_for_ticket(ticket.reference) if m.kind == "reminder"]
    assert len(mails) == 1 and mails[0].recipients == ("privacy@centra.com",)
    message = message_from_bytes(mails[0].raw, policy=policy.default)
    assert f"[{ticket.reference}]" in message["Subject"]
    assert "please reply" in message.get_body().get_content().lower()  # type: ignore[union-attr]
    events = await store.events(ticket.reference)
    assert [e.detail for e in events if e.kind == "reminder"] == [{"threshold": "ack", "to": "organisation"}]
    clock.advance(days=3)
    assert (await send_reminders(store, settings(reminder_ack_days=7), metas=METAS)).ack_reminders == []
    assert len([m for m in await store.outbox_for_ticket(ticket.reference) if m.kind == "reminder"]) == 1
    assert not [m for m in await store.outbox_for_ticket(acked.reference) if m.kind == "reminder"]


async def test_digest_posted_to_the_slack_staff_channel(store: Store, clock: Any) -> None:
    slack = SlackStandIn()
    await slack.start()
    try:
        ticket = await file_ticket(store, days_ago(clock(), 40))
        config = settings(slack_bot_token=BOT_TOKEN, slack_api_url=slack.api_url, slack_staff_channel="CSTAFF")
        report = await send_reminders(store, config, metas=METAS)
        assert report.slack_posted
        posts = slack.of("chat.postMessage")
        assert len(posts) == 1 and posts[0].params["channel"] == "CSTAFF"
        assert ticket.reference in posts[0].params["text"] and "anna@example.se" not in posts[0].params["text"]
        await send_reminders(store, config, metas=METAS)
        assert len(slack.of("chat.postMessage")) == 1
    finally:
        await slack.close()


async def test_a_digest_slack_refused_is_posted_by_a_later_pass(store: Store, store_url: str,
                                                                 clock: Any) -> None:
    slack = SlackStandIn()
    await slack.start()
    try:
        await file_ticket(store, days_ago(clock(), 40))
        slack.fail_next(1, status=500)
        config = settings(slack_bot_token=BOT_TOKEN, slack_api_url=slack.api_url, slack_staff_channel="CSTAFF")
        report = await send_reminders(store, config, metas=METAS)
        assert not report.slack_posted and len(report.digest) == 1 and len(await reminder_mails(store)) == 1
        assert slack.of("chat.postMessage") == []
        # The next pass posts the digest Slack refused, once, even with two workers at it.
        other = await Store.open(store_url, clock=clock)
        try:
            first, second = await asyncio.gather(send_reminders(store, config, metas=METAS),
                                                 send_reminders(other, config, metas=METAS))
        finally:
            await other.close()
        assert first.slack_retried + second.slack_retried == 1
        [post] = slack.of("chat.postMessage")
        assert report.digest[0] in post.params["text"]
        assert (await send_reminders(store, config, metas=METAS)).slack_retried == 0
        assert len(slack.of("chat.postMessage")) == 1
    finally:
        await slack.close()


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_loop_runs_a_pass_and_stops_at_once(store: Store, clock: Any) -> None:
    await file_ticket(store, days_ago(clock(), 40))
    stop = asyncio.Event()
    task = asyncio.create_task(run_reminders(store, settings(), stop, metas=METAS, interval=3600))
    for _ in range(100):
        if await store.last_beat("reminders.last_run") is not None:
            break
        await asyncio.sleep(0.05)
    assert len(await reminder_mails(store)) == 1
    stop.set()
    await asyncio.wait_for(task, timeout=2)


def test_reminders_command(sqlite_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from bot import cli

    async def prepare() -> list[str]:
        clock.now = datetime.now(UTC)  # the command runs on the real clock
        store = await Store.open(sqlite_url, clock=clock)
        try:
            due = await file_ticket(store, days_ago(clock(), 40), org="infentre")
            late = await forward(store, await file_ticket(store, days_ago(clock(), 10), requester="b@example.se",
                                                          org="infentre"))
            async with store.tx() as conn:  # forwarded 9 days ago, never acknowledged
                from bot.adapters.store import schema
                await conn.execute(schema.tickets.update().where(schema.tickets.c.id == late.id)
                                   .values(forwarded_at=days_ago(clock(), 9)))
            return [due.reference, late.reference]
        finally:
            await store.close()

    due, late = asyncio.run(prepare())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert cli.main(["reminders"]) == 0
    out = capsys.readouterr().out
    assert "no digest: set STAFF_EMAIL" in out and f"unacknowledged forwards: {late}" in out
    monkeypatch.setenv("STAFF_EMAIL", "staff@bot.test")
    assert cli.main(["reminders"]) == 0
    out = capsys.readouterr().out
    assert f"digest to STAFF_EMAIL: {due}" in out and "unacknowledged forwards: none" in out
    assert cli.main(["reminders"]) == 0
    assert "nothing newly due" in capsys.readouterr().out
