"""Retention: personal data of long-closed tickets erased, statistics and the audit skeleton kept."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from bot import cli
from bot.adapters.mail_out import eml_path
from bot.adapters.store import Store
from bot.adapters.store import schema as t
from bot.adapters.store.person import Subject, export_person
from bot.adapters.store.retention import ERASED, purge_expired, redact_detail, retention_cutoff, summarise
from bot.core.tickets import Status

from .helpers import close, file_ticket

ADDRESS = "anna.retained@example.se"


async def old_world(store: Store, clock: Any) -> dict[str, Any]:
    """Tickets closed 25 and 23 months ago, an old open one, with their mails and raw inbound mail."""
    start = clock.now
    clock.now = start - timedelta(days=25 * 31)
    old = await file_ticket(store, clock.now, requester=ADDRESS, name="Anna Old", text="Old: delete my data",
                            external_id="<old@example.se>")
    inbound_id, _ = await store.enqueue_inbound(transport="smtp", raw=f"From: {ADDRESS}\r\n\r\nold".encode(),
                                                dedupe_key="k-old", message_id="<old@example.se>")
    await store.finish_inbound(inbound_id, status="done", ticket_id=old.id, outcome={"ticket": old.reference})
    await store.add_note(old.reference, actor="Eva (staff)", text=f"Called {ADDRESS} back")
    await close(store, old)
    refused = await close(store, await file_ticket(store, clock.now, requester="bo@example.se", name="Bo",
                                                   right="erasure"), Status.REFUSED)
    await store.queue_mails(None, [_reply(ADDRESS, "q-old")])  # an answer to a question, no ticket
    for row in await store.claim_outbox("test", force=True, limit=100):
        await store.mark_sent(row.id, worker="test")
    open_old = await file_ticket(store, clock.now, requester="cy@example.se", name="Cy")
    clock.now = start - timedelta(days=23 * 31)
    recent = await close(store, await file_ticket(store, clock.now, requester=ADDRESS, name="Anna Recent",
                                                  right="erasure"))
    clock.now = start
    return {"old": old, "refused": refused, "open": open_old, "recent": recent, "inbound": inbound_id}


def _reply(to: str, mid: str) -> Any:
    from bot.adapters.store import OutgoingMail

    return OutgoingMail("reply", f"<{mid}@bot.test>", "bot@bot.test", (to,), f"To: {to}\r\n\r\nanswer".encode())


async def test_dry_run_lists_references_and_counts_only(store: Store, clock: Any) -> None:
    world = await old_world(store, clock)
    report = await purge_expired(store, months=24, dry_run=True)
    assert [e.reference for e in report.tickets] == [world["old"].reference, world["refused"].reference]
    assert report.tickets[0].inbound == 1 and report.tickets[0].outbox == 2 and report.unlinked_outbox == 1
    text = "\n".join(summarise(report))
    assert world["old"].reference in text and "would erase" in text
    assert ADDRESS not in text and "Anna" not in text and "delete" not in text
    untouched = await store.get_ticket(world["old"].reference)
    assert untouched is not None and untouched.requester_address == ADDRESS


async def test_purge_erases_personal_data_and_keeps_statistics(store: Store, clock: Any) -> None:
    world = await old_world(store, clock)
    before = await store.events(world["old"].reference)
    report = await purge_expired(store, months=24, actor="retention")
    assert len(report.tickets) == 2
    old = await store.get_ticket(world["old"].reference)
    assert old is not None
    assert (old.requester_address, old.requester_name, old.requester_evidence) == (None, None, ())
    assert old.external_id is None
    assert old.original_text == ERASED
    assert all(set(c) <= {"org", "section", "passage_id"} for c in old.citations)
    # anonymous statistics stay: organisation, right, status and the dates that give days to close
    original = world["old"]
    assert (old.org, old.right, old.status, old.received_at, old.deadline) == (
        original.org, original.right, Status.COMPLETED, original.received_at, original.deadline)
    assert old.closed_at is not None
    refused = await store.get_ticket(world["refused"].reference)
    assert refused is not None and refused.refusal_reason == ERASED
    # the audit skeleton: every event kept (kinds, times, actors), personal details redacted, one more entry
    after = await store.events(world["old"].reference)
    assert [(e.kind, e.at, e.actor) for e in after[:-1]] == [(e.kind, e.at, e.actor) for e in before]
    assert after[-1].kind == "personal_data_erased" and after[-1].actor == "retention"
    assert after[-1].detail["reason"] == "retention" and after[-1].detail["retention_months"] == 24
    note = next(e for e in after if e.kind == "note")
    assert note.detail == {"text": ERASED} and note.actor == "Eva (staff)"
    status = [e.detail for e in after if e.kind == "status"]
    assert status[-1] == {"from": "forwarded", "to": "completed"}
    queued = [e.detail for e in after if e.kind == "mail_queued"]
    assert queued and all(d["to"] == ERASED and d["message_id"].startswith("<DSR-") for d in queued)
    mails = await store.outbox_for_ticket(world["old"].reference)
    assert mails and all(m.raw == b"" and m.recipients == () for m in mails)
    inbound = await store.get_inbound(world["inbound"])
    assert inbound is not None and inbound.raw == b"" and inbound.message_id is None and inbound.dedupe_key == "k-old"
    # everything else is untouched
    for key in ("open", "recent"):
        kept = await store.get_ticket(world[key].reference)
        assert kept is not None and kept.requester_address is not None and kept.original_text != ERASED
    exported = await export_person(store, Subject("email", ADDRESS))
    assert [x["reference"] for x in exported["tickets"]] == [world["recent"].reference]
    assert exported["mails"] == []  # the old unlinked answer was erased too
    async with store.read() as conn:
        rows = [r for table in (t.tickets, t.ticket_events, t.outbox, t.inbound_messages)
                for r in (await conn.execute(sa.select(table))).all()]
    dump = " ".join(str(r) for r in rows)
    assert "Anna Recent" in dump and "Anna Old" not in dump and "Old: delete" not in dump and "Called" not in dump
    again = await purge_expired(store, months=24)
    assert again.tickets == [] and again.unlinked_outbox == 0


def test_redaction_keeps_statuses_dates_and_our_message_ids() -> None:
    assert redact_detail("status", {"from": "new", "to": "refused", "reason": "Anna lied"}) == {
        "from": "new", "to": "refused", "reason": ERASED}
    assert redact_detail("mail_queued", {"mail": "ack", "message_id": "<DSR-1@b>", "to": ["a@x.se"]}) == {
        "mail": "ack", "message_id": "<DSR-1@b>", "to": ERASED}
    assert redact_detail("duplicate_request", {"channel": "email", "text": "again", "external_id": "<m@x>"}) == {
        "channel": "email", "text": ERASED, "external_id": ERASED}
    assert redact_detail("note", {"text": ""}) == {"text": ""}


def test_cutoff_counts_calendar_months(clock: Any) -> None:
    assert retention_cutoff(clock(), 24).date().isoformat() == "2024-03-10"


def test_purge_command(sqlite_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    async def prepare() -> dict[str, Any]:
        # The command runs on the real clock: make the tickets old relative to now.
        from datetime import UTC, datetime
        clock.now = datetime.now(UTC)
        store = await Store.open(sqlite_url, clock=clock)
        try:
            return await old_world(store, clock)
        finally:
            await store.close()

    world = asyncio.run(prepare())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    outbox = tmp_path / "data" / "outbox"
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    outbox.mkdir(parents=True)
    old_copy = eml_path(outbox, f"<{world['old'].reference}.ack@bot.test>")
    recent_copy = eml_path(outbox, f"<{world['recent'].reference}.ack@bot.test>")
    for path in (old_copy, recent_copy):
        path.write_bytes(b"To: anna\r\n\r\ncopy")
    assert cli.main(["purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert world["old"].reference in out and ADDRESS not in out and "would erase personal data of 2" in out
    assert cli.main(["purge"]) == 0
    out = capsys.readouterr().out
    assert "erased personal data of 2 ticket(s)" in out and "removed 1 .eml copy" in out
    assert not old_copy.exists() and recent_copy.exists()
    assert cli.main(["purge", "--dry-run"]) == 0
    assert "would erase personal data of 0 ticket(s)" in capsys.readouterr().out


async def test_two_workers_purging_at_once_erase_each_ticket_once(store: Store, store_url: str, clock: Any) -> None:
    world = await old_world(store, clock)
    other = await Store.open(store_url, clock=clock)
    try:
        await asyncio.gather(purge_expired(store, months=24), purge_expired(other, months=24))
    finally:
        await other.close()
    for key in ("old", "refused"):
        kinds = [e.kind for e in await store.events(world[key].reference)]
        assert kinds.count("personal_data_erased") == 1, kinds
