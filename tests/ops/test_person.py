"""Per person: export everything held about an e-mail address or Slack user, and erase it (audited)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot import cli
from bot.adapters.mail_out import eml_path
from bot.adapters.store import OutgoingMail, Store
from bot.adapters.store import schema as t
from bot.adapters.store.person import erase_person, export_person, find_holdings, parse_subject
from bot.adapters.store.retention import ERASED
from bot.errors import InvalidInput

from .helpers import file_ticket

ANNA = "Anna.Person@Example.se"
OTHER = "olle@example.se"
SLACK_USER = "U0ANNA42"


async def world(store: Store, clock: Any) -> dict[str, Any]:
    now = clock()
    mail = await file_ticket(store, now, requester=ANNA, name="Anna Person", text="Send me my data please",
                             external_id="<anna-1@example.se>")
    inbound_id, _ = await store.enqueue_inbound(transport="smtp", dedupe_key="anna-1",
                                                raw=f"From: {ANNA}\r\n\r\nSend me my data please".encode())
    await store.finish_inbound(inbound_id, status="done", ticket_id=mail.id)
    question_id, _ = await store.enqueue_inbound(transport="imap", dedupe_key="anna-q",
                                                 raw=b"From: anna.person@example.se\r\n\r\nDo you sell data?")
    await store.finish_inbound(question_id, status="done")
    await store.queue_mails(None, [OutgoingMail("reply", "<r1@bot.test>", "bot@bot.test", (ANNA.lower(),),
                                                b"To: anna.person@example.se\r\n\r\nNo, they do not.")])
    slack = await file_ticket(store, now, requester=SLACK_USER, name="Anna P", channel="slack",
                              right="erasure", external_id="Ev123", text="delete everything about me")
    async with store.tx() as conn:  # a Slack ticket whose verified e-mail is Anna's
        await conn.execute(t.tickets.update().where(t.tickets.c.id == slack.id).values(
            requester_evidence=[["slack_verified_email", ANNA.lower()]]))
    await store.set_state("slack.pending.C1.1700.1", json.dumps({"user": SLACK_USER, "text": "Do you sell data?"}))
    other = await file_ticket(store, now, requester=OTHER, name="Olle", text="Olle's own request")
    return {"mail": mail, "slack": slack, "other": other, "inbound": inbound_id, "question": question_id}


def test_subjects_are_addresses_or_slack_users() -> None:
    assert parse_subject(" anna@example.se ").kind == "email"
    assert parse_subject("U012AB3CD").kind == "slack"
    for bad in ("", "anna", "DROP TABLE", "u012ab3cd", "a@b", "%@%.%" * 100):
        with pytest.raises(InvalidInput):
            parse_subject(bad)


async def test_export_gathers_everything_about_one_address(store: Store, clock: Any) -> None:
    w = await world(store, clock)
    doc = await export_person(store, parse_subject(ANNA.upper()))
    assert [x["reference"] for x in doc["tickets"]] == [w["mail"].reference, w["slack"].reference]
    first = doc["tickets"][0]
    assert first["requester_name"] == "Anna Person" and first["original_text"] == "Send me my data please"
    assert first["audit"][0]["kind"] == "created"
    assert {m["kind"] for m in first["mails"]} == {"forward", "ack"}
    assert first["inbound_mail"][0]["raw"].endswith("Send me my data please")
    assert [m["message_id"] for m in doc["mails"]] == ["<r1@bot.test>"]
    assert [r["raw"] for r in doc["inbound_mail"]] == ["From: anna.person@example.se\r\n\r\nDo you sell data?"]
    text = json.dumps(doc)
    assert OTHER not in text and "Olle" not in text
    slack_doc = await export_person(store, parse_subject(SLACK_USER))
    assert [x["reference"] for x in slack_doc["tickets"]] == [w["slack"].reference]
    assert [s["key"] for s in slack_doc["conversation_state"]] == ["slack.pending.C1.1700.1"]


async def test_erase_removes_it_all_and_audits_who(store: Store, clock: Any) -> None:
    w = await world(store, clock)
    summary = await erase_person(store, parse_subject(ANNA), actor="Eva Staff")
    assert summary.tickets == (w["mail"].reference, w["slack"].reference)
    assert (summary.outbox, summary.inbound, summary.state) == (1, 1, 0)
    after = await export_person(store, parse_subject(ANNA))
    assert after["tickets"] == [] and after["mails"] == [] and after["inbound_mail"] == []
    ticket = await store.get_ticket(w["mail"].reference)
    assert ticket is not None and ticket.requester_address is None and ticket.original_text == ERASED
    events = await store.events(w["mail"].reference)
    assert events[-1].kind == "personal_data_erased" and events[-1].actor == "Eva Staff"
    assert events[-1].detail["reason"] == "erasure request"
    # unsent mail about her is cancelled, never sent empty
    pending = [m for m in await store.list_outbox() if m.ticket_id == ticket.id]
    assert pending and all(m.status == "failed" and m.raw == b"" for m in pending)
    for inbound in (w["inbound"], w["question"]):
        row = await store.get_inbound(inbound)
        assert row is not None and row.raw == b""
    kept = await store.get_ticket(w["other"].reference)
    assert kept is not None and kept.requester_address == OTHER and kept.original_text == "Olle's own request"
    async with store.read() as conn:
        import sqlalchemy as sa
        records = (await conn.execute(sa.select(t.kv_state.c.value).where(
            t.kv_state.c.key.startswith("audit.erasure.")))).scalars().all()
    assert len(records) == 1 and ANNA.lower() not in records[0].lower()
    assert json.loads(records[0])["actor"] == "Eva Staff"
    # the Slack identity still has its conversation state until erased by its own id
    assert (await find_holdings(store, parse_subject(SLACK_USER))).state
    await erase_person(store, parse_subject(SLACK_USER), actor="cli")
    assert not (await find_holdings(store, parse_subject(SLACK_USER))).state


def test_person_commands(sqlite_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    async def prepare() -> dict[str, Any]:
        store = await Store.open(sqlite_url, clock=clock)
        try:
            return await world(store, clock)
        finally:
            await store.close()

    w = asyncio.run(prepare())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    cli.main(["outbox", "send"])  # no SMTP_URL: every mail becomes an .eml file in DATA_DIR/outbox
    capsys.readouterr()
    outbox = tmp_path / "data" / "outbox"
    before = {p.name for p in outbox.glob("*.eml")}
    assert cli.main(["person", "export", ANNA]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["tickets"]) == 2
    hers = {eml_path(outbox, m["message_id"]).name
            for m in doc["mails"] + [m for x in doc["tickets"] for m in x["mails"]]}
    assert len(hers) == 5 and hers < before  # forward + ack of both tickets and the answer, all on disk
    target = tmp_path / "anna.json"
    assert cli.main(["person", "export", ANNA, "-o", str(target)]) == 0
    assert json.loads(target.read_text())["tickets"][0]["reference"] == w["mail"].reference
    assert target.stat().st_mode & 0o077 == 0
    assert cli.main(["person", "erase", ANNA]) == 1  # no --yes: shows, changes nothing
    assert "Add --yes" in capsys.readouterr().out
    assert cli.main(["person", "erase", ANNA, "--yes"]) == 0
    out = capsys.readouterr().out
    assert w["mail"].reference in out and ANNA not in out and ".eml copy(ies)" in out
    assert {p.name for p in outbox.glob("*.eml")} == before - hers  # hers gone, everyone else's kept
    assert cli.main(["person", "export", ANNA]) == 0
    assert json.loads(capsys.readouterr().out)["tickets"] == []
    assert cli.main(["person", "export", "not-an-address"]) == 2
