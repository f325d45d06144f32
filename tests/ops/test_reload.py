"""Knowledge reload without restart: SIGHUP and the file watch on a real ``serve``, broken edits, in-flight work."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from mail.helpers import make_mail
from web.rig import Web, file_ticket

from bot.adapters.store import Store
from bot.adapters.web import build_app
from bot.adapters.web.staff.backend import StoreBackend
from bot.config import Settings
from bot.filing import TicketFiler
from bot.knowledge_reload import KnowledgeHolder, restart_on_swap
from bot.service import Service

from .deployment import free_port, smtp_send, until
from .procs import PROJECT, Proc, bot_env

QUESTION = "How long do you keep my data?"
OLD = "We keep this information no longer than 3 years."
NEW = "We keep this information no longer than 17 months."
NEW_ORG = """---
id: nordlys
name: Nordlys Bikes
language: en
contact_email: dpo@nordlys.example
inbox: privacy@nordlys.example
---
Privacy at Nordlys Bikes

How long do you keep my information?

We keep your rental history for 26 months after your last ride.

Contact

Write to dpo@nordlys.example with any question about your data.
"""


def knowledge_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(PROJECT / "knowledge", folder)
    return folder


def edit_retention(folder: Path) -> None:
    path = folder / "infentre.md"
    text = path.read_text(encoding="utf-8")
    assert OLD in text
    path.write_text(text.replace(OLD, NEW), encoding="utf-8")


class Served:
    """One ``python -m bot serve`` process on a copied knowledge folder, asked over HTTP."""

    def __init__(self, proc: Proc, port: int, session: aiohttp.ClientSession) -> None:
        self.proc = proc
        self.port = port
        self.session = session

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def ask(self, text: str, org: str | None = None) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url("/api/ask"), json={"text": text, "org": org}) as response:
            return response.status, await response.json()

    async def readyz(self) -> tuple[int, dict[str, Any]]:
        async with self.session.get(self.url("/readyz")) as response:
            return response.status, await response.json()

    async def up(self) -> bool:
        assert self.proc.proc is not None
        if self.proc.proc.returncode is not None:
            raise AssertionError(f"serve exited with {self.proc.proc.returncode}:\n{self.log()}")
        try:
            return (await self.readyz())[0] == 200
        except aiohttp.ClientError:
            return False

    def hangup(self) -> None:
        assert self.proc.proc is not None
        self.proc.proc.send_signal(signal.SIGHUP)

    def log(self) -> str:
        return self.proc.log.read_text(errors="replace")


@contextlib.asynccontextmanager
async def serve(tmp_path: Path, folder: Path, *, watch: int, listen: int | None = None) -> AsyncIterator[Served]:
    """``serve``; with ``listen`` (an SMTP port) ``serve --all``: the mail workers too."""
    port = free_port()
    env = bot_env({"KNOWLEDGE_DIR": str(folder), "PORT": str(port), "HOST": "127.0.0.1",
                   "KNOWLEDGE_WATCH_SECONDS": str(watch), "ASK_RATE_PER_MINUTE": "10000"},
                  data_dir=tmp_path / "data")
    if listen is not None:
        env |= {"SMTP_LISTEN": f"127.0.0.1:{listen}", "MAIL_FROM": "privacy-bot@bot.example"}
    logs = tmp_path / "logs"
    logs.mkdir()
    argv = [sys.executable, "-m", "bot", "serve", *(["--all"] if listen is not None else [])]
    proc = await Proc("web", argv, env, logs).start()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            served = Served(proc, port, session)
            await until(served.up, timeout=60, what="/readyz 200")
            yield served
            code, _ = await proc.terminate()
            assert code == 0, served.log()
    finally:
        await proc.kill()


@pytest.fixture
async def signalled(tmp_path: Path) -> AsyncIterator[Served]:
    """``serve`` with the watch off: only SIGHUP reloads."""
    async with serve(tmp_path, knowledge_copy(tmp_path), watch=0) as served:
        yield served


async def answered_with(served: Served, text: str, expected: str, org: str | None = None) -> bool:
    status, data = await served.ask(text, org)
    return status == 200 and expected in data["reply"]


async def test_sighup_swaps_in_an_edited_policy_and_a_new_organisation(signalled: Served, tmp_path: Path) -> None:
    assert await answered_with(signalled, QUESTION, OLD, "infentre")
    status, _ = await signalled.ask("How long does Nordlys Bikes keep my data?", "nordlys")
    assert status == 400  # not known yet
    folder = tmp_path / "knowledge"
    edit_retention(folder)
    (folder / "nordlys.md").write_text(NEW_ORG, encoding="utf-8")
    signalled.hangup()
    await until(lambda: answered_with(signalled, QUESTION, NEW, "infentre"), timeout=30,
                what="the edited sentence in the answer")
    assert not await answered_with(signalled, QUESTION, OLD, "infentre")
    status, data = await signalled.ask("How long does Nordlys Bikes keep my data?")
    assert status == 200 and data["org"] == "nordlys", data
    assert "26 months after your last ride" in data["reply"]
    async with signalled.session.get(signalled.url("/ask")) as page:
        assert "Nordlys Bikes" in await page.text()
    status, ready = await signalled.readyz()
    assert status == 200 and ready["knowledge"]["organisations"] == 6 and ready["knowledge"]["reloads"] == 1
    assert ready["knowledge"]["reload_error"] is None
    assert "knowledge reloaded (SIGHUP): 6 organisations" in signalled.log()
    assert "watching" not in signalled.log()  # KNOWLEDGE_WATCH_SECONDS=0: the watch is off


async def test_the_watch_picks_up_an_edit_without_a_signal(tmp_path: Path) -> None:
    folder = knowledge_copy(tmp_path)
    async with serve(tmp_path, folder, watch=1) as served:
        assert await answered_with(served, QUESTION, OLD, "infentre")
        edit_retention(folder)
        await until(lambda: answered_with(served, QUESTION, NEW, "infentre"), timeout=30,
                    what="the watch to swap in the edited policy")
        assert "knowledge reloaded (files changed): 5 organisations" in served.log()


async def test_mail_to_a_new_organisations_inbox_is_routed_to_it_after_a_reload(tmp_path: Path) -> None:
    folder = knowledge_copy(tmp_path)
    listen = free_port()
    async with serve(tmp_path, folder, watch=0, listen=listen) as served:
        (folder / "nordlys.md").write_text(NEW_ORG, encoding="utf-8")
        served.hangup()
        # The mail pipeline finishes its batch and starts again over the new organisations.
        await until(lambda: _logged(served, "mail pipeline started", times=2), timeout=30,
                    what="the mail pipeline restarted over the new knowledge")
        await smtp_send(listen, make_mail(QUESTION, to="privacy@nordlys.example"), sender="anna@example.se",
                        to="privacy@nordlys.example", retry_for=10)
        outbox = tmp_path / "data" / "outbox"
        await until(lambda: _replied(outbox, "26 months after your last ride"), timeout=30,
                    what="a reply quoting the new organisation's policy")


async def _logged(served: Served, line: str, *, times: int) -> bool:
    return served.log().count(line) >= times


async def _replied(outbox: Path, text: str) -> bool:
    for path in outbox.glob("**/*.eml") if outbox.exists() else ():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))  # type: ignore[attr-defined]
        if body is not None and text in body.get_content():
            return True
    return False


async def reload_error(served: Served) -> str | None:
    status, data = await served.readyz()
    assert status == 200, data  # the old knowledge still answers: ready
    error: str | None = data["knowledge"]["reload_error"]
    return error


async def test_a_broken_edit_keeps_the_old_knowledge_and_says_what_is_wrong(signalled: Served,
                                                                            tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    # A second file claiming infentre's id, carrying the new sentence: swapped in, it would answer.
    (folder / "zz-infentre.md").write_text((folder / "infentre.md").read_text(encoding="utf-8")
                                             .replace(OLD, NEW), encoding="utf-8")
    (folder / "blank.md").write_text("---\nid: blank\nname: Blank AB\ncontact_email: null\n"
                                     "contact_note: none given\n---\n\n", encoding="utf-8")
    signalled.hangup()
    await until(lambda: _has_error(signalled), timeout=30, what="the refused reload in /readyz")
    error = await reload_error(signalled)
    assert error is not None
    assert "zz-infentre.md:2: duplicate id 'infentre'" in error, error
    assert "blank.md:" in error and "the policy text is empty" in error, error
    assert str(folder) not in error  # /readyz is public: no deployment paths
    assert await answered_with(signalled, QUESTION, OLD, "infentre")
    log = signalled.log()
    assert "ERROR bot.knowledge_reload: knowledge reload (SIGHUP) refused" in log
    assert f"{folder}/zz-infentre.md:2: duplicate id" in log

    # Malformed front matter, located at its line; then the fixed folder loads again.
    (folder / "zz-infentre.md").unlink()
    (folder / "blank.md").write_text("---\nid: blank\nname: [Blank AB\n---\nSome text.\n", encoding="utf-8")
    signalled.hangup()
    await until(lambda: _has_error(signalled, "blank.md:3: front matter is not valid YAML"), timeout=30,
                what="the malformed front matter reported")
    (folder / "blank.md").unlink()
    edit_retention(folder)
    signalled.hangup()
    await until(lambda: answered_with(signalled, QUESTION, NEW, "infentre"), timeout=30,
                what="the fixed folder swapped in")
    assert await reload_error(signalled) is None


async def _has_error(served: Served, text: str = "") -> bool:
    error = await reload_error(served)
    return error is not None and text in error


async def test_a_question_in_flight_finishes_on_the_knowledge_it_started_with(tmp_path: Path) -> None:
    folder = knowledge_copy(tmp_path)
    holder = KnowledgeHolder.load(folder)
    gate = asyncio.Event()

    async def in_flight() -> str:
        knowledge = holder.current  # what a handler holds across its awaits
        await gate.wait()
        return knowledge.assistant.respond(QUESTION, org="infentre").reply

    task = asyncio.create_task(in_flight())
    await asyncio.sleep(0)
    edit_retention(folder)
    assert await holder.reload("test") is True
    assert NEW in holder.respond(QUESTION, org="infentre").reply
    gate.set()
    finished = await task
    assert OLD in finished and NEW not in finished


async def test_a_job_following_the_knowledge_restarts_over_the_new_organisations(tmp_path: Path) -> None:
    folder = knowledge_copy(tmp_path)
    holder = KnowledgeHolder.load(folder)
    stop = asyncio.Event()
    seen: list[int] = []
    started = asyncio.Event()

    async def job(local: asyncio.Event) -> None:
        seen.append(len(holder.metas))
        started.set()
        await local.wait()

    runner = asyncio.create_task(restart_on_swap(job, holder, stop))
    await started.wait()
    started.clear()
    (folder / "nordlys.md").write_text(NEW_ORG, encoding="utf-8")
    assert await holder.reload("test")
    await asyncio.wait_for(started.wait(), 10)
    stop.set()
    await asyncio.wait_for(runner, 10)
    assert seen == [5, 6]


@pytest.fixture
async def staff_web(sqlite_url: str, clock: Any, tmp_path: Path) -> AsyncIterator[tuple[Web, KnowledgeHolder]]:
    """The real app wired as ``serve`` wires it: the Service and the organisation list read the holder."""
    holder = KnowledgeHolder.load(knowledge_copy(tmp_path))
    store = await Store.open(sqlite_url, clock=clock)
    settings = Settings(data_dir=tmp_path / "data", staff_secret_key="a test secret", ask_rate_per_minute=1000)
    filer = TicketFiler(store, mail_from="bot@privacy-bot.test", orgs=holder.by_id)
    backend = StoreBackend(store, mailer=filer)
    app = build_app(settings=settings, service=Service(holder, filer), store=backend, mailer=filer,
                    organisations=holder.organisations, clock=clock)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield Web(client, store, backend, filer, clock, settings), holder
    await client.close()
    await store.close()


async def test_removing_an_organisation_keeps_its_tickets_on_the_staff_pages(
        staff_web: tuple[Web, KnowledgeHolder]) -> None:
    web, holder = staff_web
    filed = await file_ticket(web.filer, received_at=web.clock(), org="centra")
    (holder.folder / "centra.md").unlink()
    assert await holder.reload("test")
    assert "centra" not in {m.id for m in holder.metas}
    await web.add_staff()
    assert (await web.sign_in()).status == 303
    reference = filed.ticket.reference
    for path in ("/staff/", f"/staff/tickets/{reference}", "/staff/dashboard", "/staff/export.csv",
                 "/staff/tickets?org=centra"):
        response = await web.client.get(path)
        assert response.status == 200, (path, await response.text())
    assert reference in await (await web.client.get("/staff/")).text()
    assert "(centra)" in await (await web.client.get(f"/staff/tickets/{reference}")).text()
    asked = await web.client.post("/api/ask", json={"text": QUESTION, "org": "centra"})
    assert asked.status == 400 and "unknown organisation" in (await asked.json())["error"]


async def test_a_request_to_an_organisation_added_later_is_forwarded_under_its_name(
        staff_web: tuple[Web, KnowledgeHolder]) -> None:
    from bot.core.models import Channel, Inquiry, Requester

    web, holder = staff_web
    names = holder.names
    assert "nordlys" not in names
    (holder.folder / "nordlys.md").write_text(NEW_ORG, encoding="utf-8")
    assert await holder.reload("test")
    assert names["nordlys"] == "Nordlys Bikes" and len(names) == 6  # the view handed out earlier follows
    outcome = await Service(holder, web.filer).handle(Inquiry(
        text="Please delete all my personal data.", channel=Channel.EMAIL, org="nordlys",
        requester=Requester(Channel.EMAIL, address="rider@example.se")))
    assert outcome.ticket is not None
    [forward] = [m for m in await web.store.list_outbox() if m.kind == "forward"]
    message = email.message_from_bytes(forward.raw, policy=email.policy.default)
    assert message["To"] == "dpo@nordlys.example"
    assert "Nordlys Bikes" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
