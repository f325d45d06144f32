"""End to end with the real processes from the Procfile: every channel, SIGTERM mid-burst, clean logs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from mail.helpers import connect_imap, make_mail, with_folder
from slack.rig import ALICE, SECRET, USERS
from slack.standin import BOT_TOKEN, SlackStandIn
from web.rig import token_in

from bot.adapters.store import Store

from .deployment import Deployment, address, dm, free_port, received_by, slack_event, smtp_send, until
from .procs import bot_env, run_bot

# Everything personal the run uses: none of it may appear in a log line at INFO or above.
Q_MAIL = "Erik Frågvis <erik.question@example.se>"
R_MAIL = "Rita Raderas <rita.request@example.se>"
IMAP_Q = "Ivar Imapsson <ivar.imap@example.se>"
IMAP_R = "Inga Imapsdotter <inga.imap@example.se>"
QUESTION = "How long do you keep my information?"
REQUEST = "Please delete all my personal data."
SLACK_QUESTION = "How long do you keep my data?"
BURST = 30
SHUTDOWN_LIMIT = 25.0
INFENTRE_CONTACT = "hello@infentre.com"
STAFF = "dora.dpo@bot.example"



@pytest.fixture
async def deployment(tmp_path: Path, postgres_url: str, smtp_server: Any) -> AsyncIterator[Deployment]:
    imap = os.environ.get("TEST_IMAP_URL")
    if not imap and os.environ.get("CI"):
        pytest.fail("TEST_IMAP_URL is not set: scripts/test starts Dovecot and sets it")
    slack = SlackStandIn(users=USERS)
    await slack.start()
    port, listen = free_port(), free_port()
    logs = tmp_path / "logs"
    logs.mkdir()
    env = bot_env({
        "DATABASE_URL": postgres_url, "SMTP_URL": smtp_server.url, "SMTP_LISTEN": f"127.0.0.1:{listen}",
        "MAIL_FROM": "privacy-bot@bot.example", "STAFF_EMAIL": "staff@bot.example", "HOST": "127.0.0.1",
        "PORT": str(port), "PUBLIC_URL": "http://bot.example.org", "STAFF_SECRET_KEY": "e2e staff secret",
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.api_url,
        "SLACK_DEFAULT_ORG": "infentre", "SLACK_STAFF_CHANNEL": "C0STAFF",
        "LOG_FORMAT": "json", "LOG_LEVEL": "INFO",  # DEBUG excluded: INFO and above must be clean
    }, data_dir=tmp_path / "data")
    folder = None
    if imap:
        folder = f"e2e{uuid.uuid4().hex[:8]}"
        client = connect_imap(imap)
        client.create_folder(folder)
        client.logout()
        env |= {"IMAP_URL": with_folder(imap, folder), "SSL_CERT_FILE": os.environ.get("TEST_IMAP_CA", "")}
    dep = Deployment(env, logs, port, listen)
    dep.slack = slack
    dep.smtp = smtp_server
    dep.imap = (imap, folder)
    try:
        yield dep
    finally:
        for proc in dep.procs:
            await proc.kill()
        await slack.close()
        if imap and folder:
            with contextlib.suppress(Exception):
                client = connect_imap(imap)
                client.delete_folder(folder)
                client.logout()



async def test_all_channels_then_sigterm_mid_burst_loses_nothing_and_sends_nothing_twice(
        deployment: Deployment, postgres_url: str) -> None:
    dep = deployment
    smtp, slack = dep.smtp, dep.slack
    imap, folder = dep.imap
    code, out, err = await run_bot(*dep.commands["release"][3:], env=dep.env)  # python -m bot migrate
    (dep.logs / "release.log").write_text(err)
    assert code == 0 and "revision" in out, err
    await dep.start("web")
    worker = await dep.start("worker")
    async with aiohttp.ClientSession() as session:
        try:
            await until(lambda: dep.ready(session), timeout=60, what="/readyz 200 from the web process")
            await until(dep.listening, timeout=60, what="the worker's SMTP listener")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{dep.tails()}") from None

        # --- HTTP: a question answered with citations; a request recognised (the API files nothing) ---
        async with session.post(dep.url("/api/ask"), json={"text": QUESTION, "org": "infentre"}) as response:
            answer = await response.json()
        assert response.status == 200 and answer["answered"] and answer["citations"], answer
        async with session.post(dep.url("/api/ask"), json={"text": REQUEST, "org": "infentre"}) as response:
            answer = await response.json()
        assert answer["request"] == {"right": "erasure", "forward_to": INFENTRE_CONTACT}, answer

        # --- e-mail through the SMTP listener: a question gets an answer, a request a ticket ---
        await smtp_send(dep.listen, make_mail(QUESTION, sender=Q_MAIL), sender=address(Q_MAIL))
        await smtp_send(dep.listen, make_mail(REQUEST, sender=R_MAIL, subject="Erasure"), sender=address(R_MAIL))

        # --- e-mail through IMAP (Dovecot) ---
        if imap:
            client = connect_imap(imap)
            client.append(folder, make_mail(QUESTION, sender=IMAP_Q))
            client.append(folder, make_mail(REQUEST, sender=IMAP_R, subject="Delete"))
            client.logout()

        # --- Slack over HTTP events: a question and a request in a DM ---
        assert await slack_event(session, dep, dm(SLACK_QUESTION, "1732262500.000100")) == 200
        assert await slack_event(session, dep, dm(REQUEST, "1732262500.000200")) == 200

        people = [Q_MAIL, R_MAIL] + ([IMAP_Q, IMAP_R] if imap else [])

        async def everyone_answered() -> bool:
            return all(received_by(smtp, address(p)) for p in people) and len(
                [c for c in slack.of("chat.postMessage") if c.params["channel"] == "D0ALICEDM"]) >= 2
        await until(everyone_answered, timeout=90, what="answers on every channel")

    store = await Store.open(postgres_url, run_migrations=False)
    try:
        tickets = {t.requester_address: t for t in await store.iter_tickets()}
        assert set(tickets) >= {address(R_MAIL), ALICE} | ({address(IMAP_R)} if imap else set())
        assert address(Q_MAIL) not in tickets and address(IMAP_Q) not in tickets
        reply = received_by(smtp, address(Q_MAIL))[0].message
        assert "infentre" in reply.get_body().get_content().lower()  # type: ignore[union-attr]
        ack = received_by(smtp, address(R_MAIL))[0].message
        assert tickets[address(R_MAIL)].reference in ack["Subject"]
        assert tickets[ALICE].channel == "slack"
        assert [c for c in slack.of("chat.postMessage") if c.params["channel"] == "C0STAFF"]
    finally:
        await store.close()

    # --- a burst of requests; SIGTERM the worker in the middle of it; restart ---
    burst = [f"Burst Person {i} <burst{i}@example.se>" for i in range(BURST)]
    accepted: list[str] = []
    gate = asyncio.Semaphore(4)
    a_third = asyncio.Event()

    async def deliver(person: str, i: int) -> None:
        async with gate:
            await smtp_send(dep.listen, make_mail(REQUEST, sender=person, subject=f"Request {i}"),
                            sender=address(person), retry_for=120)
            accepted.append(person)
            if len(accepted) >= BURST // 3:
                a_third.set()
            await asyncio.sleep(0.05)  # a sending server's pace: the burst outlasts the signal

    sending = asyncio.gather(*(deliver(p, i) for i, p in enumerate(burst)))
    await asyncio.wait_for(a_third.wait(), timeout=60)
    code, took = await worker.terminate()
    assert took < SHUTDOWN_LIMIT, f"worker took {took:.1f} s to exit after SIGTERM"
    assert code == 0, (dep.logs / f"{worker.name}.log").read_text()[-2000:]
    assert len(accepted) < BURST, "the burst ended before SIGTERM: nothing was in flight"
    await dep.start("worker")
    await asyncio.wait_for(sending, timeout=180)

    async def burst_done() -> bool:
        return all(received_by(smtp, address(p)) for p in burst) and \
            len(received_by(smtp, INFENTRE_CONTACT)) >= BURST + 2 + (1 if imap else 0)
    await until(burst_done, timeout=180, what="acknowledgements and forwards for the whole burst")
    await asyncio.sleep(2)  # anything sent twice would arrive now

    store = await Store.open(postgres_url, run_migrations=False)
    try:
        inbound = await store.list_inbound(limit=1000)
        assert {r.status for r in inbound} == {"done"}, Counter(r.status for r in inbound)
        counts = await store.outbox_counts()
        assert set(counts) == {"sent"}, counts
        tickets_now = await store.iter_tickets()
    finally:
        await store.close()
    ids = Counter(m.message["Message-ID"] for m in smtp.messages)
    assert not [mid for mid, n in ids.items() if n > 1], "a message was sent twice"
    assert sum(counts.values()) == len(smtp.messages)  # every queued mail delivered exactly once
    for person in burst:
        assert len(received_by(smtp, address(person))) == 1, person
    assert len({t.requester_address for t in tickets_now}) == len(tickets_now)  # one ticket per requester
    assert {address(p) for p in burst} <= {t.requester_address for t in tickets_now}

    # --- the operator's commands against the running deployment ---
    code, out, err = await run_bot("doctor", env=dep.env)
    assert code == 0, out + err
    assert "FAILED" not in out and "smtp:        ok" in out and "slack:       ok" in out
    code, out, err = await run_bot("person", "export", address(R_MAIL), env=dep.env)
    exported = json.loads(out)
    assert code == 0 and [t["requester_address"] for t in exported["tickets"]] == [address(R_MAIL)]
    assert {m["kind"] for m in exported["tickets"][0]["mails"]} == {"forward", "ack"}
    assert exported["tickets"][0]["inbound_mail"] and exported["tickets"][0]["audit"]
    code, out, err = await run_bot("purge", "--dry-run", env=dep.env)
    assert code == 0 and "would erase personal data of 0 ticket(s)" in out
    if imap:
        await staff_erases_on_the_page(dep, address(IMAP_R))

    # --- everything stops within the limit ---
    for proc in dep.procs:
        if proc.proc is not None and proc.proc.returncode is None:
            code, took = await proc.terminate()
            assert took < SHUTDOWN_LIMIT and code == 0, (proc.name, took, code)

    # --- logs: JSON lines, ids only, no addresses, names or message text at INFO and above ---
    lines = [line for log in sorted(dep.logs.glob("*.log"))
             for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 20
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(records) == len([line for line in lines if line.startswith("{")])
    assert {r["level"] for r in records} <= {"info", "warning", "error", "critical"}
    assert any("ticket" in r for r in records), "no log line carries a ticket reference"
    forbidden = [address(p) for p in [Q_MAIL, R_MAIL, IMAP_Q, IMAP_R, *burst]] + [
        "alice@example.se", "Erik Frågvis", "Rita Raderas", "Ivar Imapsson", "Inga Imapsdotter", "Burst Person",
        "Alice Andersson", STAFF, "Dora DPO", QUESTION, REQUEST, SLACK_QUESTION, "keep my information", "delete all my"]
    leaks = [(word, line[:300]) for line in lines for word in forbidden if word.lower() in line.lower()]
    assert not leaks, leaks


async def staff_erases_on_the_page(dep: Deployment, subject: str) -> None:
    """A staff member created with the CLI signs in to the real web process, exports, then erases."""
    code, _, err = await run_bot("staff", "add", STAFF, "--name", "Dora DPO", env=dep.env,
                                 stdin=b"a long enough staff password\n")
    assert code == 0, err
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async def token(path: str) -> str:
            async with session.get(dep.url(path)) as response:
                return token_in(await response.text())

        async with session.post(dep.url("/staff/login"), allow_redirects=False, data={
                "csrf_token": await token("/staff/login"), "email": STAFF,
                "password": "a long enough staff password", "next": "/staff/"}) as response:
            assert response.status == 303, await response.text()
        form = {"csrf_token": await token("/staff/privacy"), "subject": subject}
        async with session.post(dep.url("/staff/privacy/export"), data=form) as response:
            document = json.loads(await response.text())
        [ticket] = document["tickets"]
        async with session.post(dep.url("/staff/privacy/erase"), data=form) as response:
            assert 'value="yes"' in await response.text()
        async with session.post(dep.url("/staff/privacy/erase"), data=form | {"confirm": "yes"}) as response:
            assert f"Erased: {ticket['reference']}" in await response.text()
        async with session.post(dep.url("/staff/privacy/export"), data=form) as response:
            assert json.loads(await response.text())["tickets"] == []
    code, out, _ = await run_bot("tickets", "show", ticket["reference"], env=dep.env)
    assert code == 0 and "Dora DPO" in out and subject not in out

