"""E-mail channel end to end: N mails delivered over SMTP in a burst to the bot's listener, processed by the
pipeline (real assistant, real store), replies sent by the outbox sender to a loopback SMTP server.

Prints messages per second, p50/p99 from receipt (the listener's 250) to the reply delivered, and counts
proving none lost or doubled: every mail has exactly one inbound row, one outcome and one reply.

Usage: .venv/bin/python bench/mail.py [--mails 1000] [--concurrency 20] [--requests 0.1] [--rate 0]
       [--database-url URL]
Without --database-url an SQLite file in a temporary folder is used.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import aiosmtplib  # noqa: E402
from aiosmtpd.smtp import SMTP  # noqa: E402

from bot.adapters.mail_in.listener import start_listener  # noqa: E402
from bot.adapters.mail_out import run_sender  # noqa: E402
from bot.adapters.store import Store  # noqa: E402
from bot.config import EMBEDDED_KNOWLEDGE, Settings  # noqa: E402
from bot.filing import TicketFiler  # noqa: E402
from bot.mail_pipeline import run_pipeline  # noqa: E402
from bot.runtime import build_assistant  # noqa: E402
from bot.service import Service  # noqa: E402

QUESTIONS = (
    ("privacy@infentre.com", "How long do you keep my information?"),
    ("privacy@centra.com", "Do you share my data with other companies?"),
    ("privacy@centiro.se", "Lämnar ni ut mina uppgifter till polisen?"),
    ("privacy@i-centrum.se", "Which cookies do you use?"),
    ("privacy@icentrex.com", "Where is my data stored?"),
)
REQUEST = ("privacy@centra.com", "I want a copy of all personal data you hold about me.")


class Recorder:
    """The far end of our outgoing mail: notes when each reply arrives, keyed by what it answers."""

    def __init__(self) -> None:
        self.arrived: dict[str, list[float]] = {}
        self.total = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(bytes(envelope.original_content), policy=policy.default)
        self.total += 1
        if msg["Auto-Submitted"] in ("auto-replied", "auto-generated") and msg["In-Reply-To"]:
            self.arrived.setdefault(str(msg["In-Reply-To"]), []).append(time.perf_counter())
        return "250 OK"


def mail(i: int, *, request: bool) -> tuple[str, str, str, bytes]:
    to, text = REQUEST if request else QUESTIONS[i % len(QUESTIONS)]
    sender = f"person{i}@example.se"
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = f"Question {i}"
    message_id = make_msgid(idstring=f"bench{i}", domain="example.se")
    msg["Message-ID"] = message_id
    msg.set_content(text)
    return sender, to, message_id, msg.as_bytes(policy=policy.SMTP)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def bench(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    loop = asyncio.get_running_loop()
    recorder = Recorder()
    far_end = await loop.create_server(lambda: SMTP(recorder, hostname="mx.test", loop=loop), "127.0.0.1", 0)
    far_port = far_end.sockets[0].getsockname()[1]
    settings = Settings(data_dir=tmp, smtp_url=f"smtp://127.0.0.1:{far_port}", mail_from="privacy-bot@bot.example",
                        smtp_listen="127.0.0.1:0")
    store = await Store.open(url)
    assistant = build_assistant(EMBEDDED_KNOWLEDGE)
    metas = [p.meta for p in assistant.policies]
    service = Service(assistant, TicketFiler(store, mail_from=settings.mail_from, orgs={m.id: m for m in metas}))
    listener = await start_listener(store, settings)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(run_pipeline(store, service, settings, stop, metas=metas, poll_seconds=0.2)),
             asyncio.create_task(run_sender(store, settings, stop, poll=0.2))]
    every = max(1, round(1 / args.requests)) if args.requests > 0 else 0
    kinds = [bool(every) and i % every == 0 for i in range(args.mails)]
    mails = [mail(i, request=kind) for i, kind in enumerate(kinds)]
    received: dict[str, float] = {}
    gate = asyncio.Semaphore(args.concurrency)

    async def deliver(i: int, sender: str, to: str, message_id: str, raw: bytes) -> None:
        if args.rate:
            await asyncio.sleep(i / args.rate)  # paced instead of a burst: latency without queueing
        async with gate:
            await aiosmtplib.send(raw, sender=sender, recipients=[to], hostname=listener.host, port=listener.port,
                                  start_tls=False, timeout=60)
            received[message_id] = time.perf_counter()

    started = time.perf_counter()
    await asyncio.gather(*(deliver(i, *m) for i, m in enumerate(mails)))
    accepted = time.perf_counter()
    deadline = accepted + args.timeout
    while len(recorder.arrived) < len(mails) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    finished = time.perf_counter()
    await asyncio.sleep(1.0)  # anything doubled would arrive now
    stop.set()
    await asyncio.gather(*tasks)
    await listener.stop()
    far_end.close()

    rows = await store.list_inbound(limit=args.mails * 2)
    statuses = Counter(r.status for r in rows)
    actions = Counter(str((r.outcome or {}).get("action")) for r in rows)
    latencies = [(recorder.arrived[mid][0] - received[mid]) * 1000 for mid in received if mid in recorder.arrived]
    doubled = sum(1 for times in recorder.arrived.values() if len(times) > 1)
    missing = [mid for mid in received if mid not in recorder.arrived]
    await store.close()

    print(f"database: {'postgresql' if url.startswith('postgres') else 'sqlite'}; mails: {len(mails)} "
          f"({sum(kinds)} requests), "
          f"{args.concurrency} SMTP connections at once" + (f", paced at {args.rate:g}/s" if args.rate else ", burst"))
    print(f"SMTP accepted all in {accepted - started:.2f} s ({len(mails) / (accepted - started):.0f} messages/s)")
    print(f"all replies delivered after {finished - started:.2f} s: {len(mails) / (finished - started):.1f} "
          "messages/s end to end")
    if latencies:
        print(f"receipt -> reply delivered: p50 {statistics.median(latencies):.0f} ms, p99 {pct(latencies, 99):.0f} ms,"
              f" max {max(latencies):.0f} ms")
    print(f"inbound rows: {len(rows)} (statuses {dict(statuses)}; outcomes {dict(actions)})")
    print(f"replies: {len(recorder.arrived)} distinct threads answered, {doubled} doubled, {len(missing)} missing; "
          f"{recorder.total} messages reached the far end in all")
    ok = len(rows) == len(mails) and statuses == Counter({"done": len(mails)}) and not doubled and not missing
    print("OK: none lost, none doubled" if ok else "FAILED: lost or doubled mail")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--requests", type=float, default=0.1, help="share of mails that are rights requests")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--rate", type=float, default=0.0,
                        help="send this many mails per second instead of all at once (0: a burst)")
    return asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
