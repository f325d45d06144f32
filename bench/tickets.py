"""Tickets end to end: N requests through the core (Service.handle) into the store and outbox, delivered by
the outbox sender to a loopback SMTP server (aiosmtpd). Prints filing rate, delivery rate, and p50/p99 from
submit to the forward's delivery, on SQLite and on PostgreSQL.

Usage: .venv/bin/python bench/tickets.py [--requests 1000] [--concurrency 20] [--backend sqlite|postgresql|both]
PostgreSQL: $TEST_POSTGRES_URL (a fresh database is created on it), else a throw-away server via scripts/postgres.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from aiosmtpd.smtp import SMTP  # noqa: E402

from bot.adapters.knowledge_files import load_folder  # noqa: E402
from bot.adapters.mail_out import run_sender  # noqa: E402
from bot.adapters.store import Store  # noqa: E402
from bot.config import EMBEDDED_KNOWLEDGE, Settings  # noqa: E402
from bot.core.assistant import Assistant  # noqa: E402
from bot.core.models import Channel, Inquiry, Requester  # noqa: E402
from bot.filing import TicketFiler  # noqa: E402
from bot.service import Service  # noqa: E402

TEXTS = (
    "I want a copy of all personal data you hold about me.",
    "Please delete all my personal data.",
    "I object to you using my data for marketing.",
    "Please correct my address, it is wrong in your records.",
    "Jag vill ha en kopia av alla personuppgifter ni har om mig.",
)
_REF = re.compile(r"<(DSR-\d{4}-\d{5})\.(\w+)\.")


@dataclass
class Arrivals:
    """aiosmtpd handler: when each message (by our Message-ID) arrived, and how many times."""

    at: dict[str, float] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        head = bytes(envelope.original_content).split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        match = re.search(r"^Message-ID:\s*(<[^>]+>)", head, re.M | re.I)
        key = match.group(1) if match else uuid.uuid4().hex
        self.at.setdefault(key, time.perf_counter())
        self.count[key] = self.count.get(key, 0) + 1
        return "250 OK"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run(url: str, *, n: int, concurrency: int, assistant: Assistant) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    arrivals = Arrivals()
    server = await loop.create_server(lambda: SMTP(arrivals, hostname="mx.bench", loop=loop), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    data = Path(tempfile.mkdtemp(prefix="bench-tickets-"))
    settings = Settings(smtp_url=f"smtp://127.0.0.1:{port}", mail_from="bot@bench.test", data_dir=data)
    store = await Store.open(url)
    orgs = {p.id: p.meta for p in assistant.policies}
    service = Service(assistant, TicketFiler(store, mail_from=settings.mail_from, orgs=orgs))
    stop = asyncio.Event()
    sender = asyncio.create_task(run_sender(store, settings, stop, poll=0.2))
    submitted: dict[str, float] = {}
    filed = duplicates = not_requests = 0
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        nonlocal filed, duplicates, not_requests
        inquiry = Inquiry(text=TEXTS[i % len(TEXTS)], channel=Channel.EMAIL, org="centra",
                          requester=Requester(Channel.EMAIL, address=f"person{i}@example.se", name=f"Person {i}"),
                          external_id=f"<bench-{i}@example.se>")
        async with gate:
            start = time.perf_counter()
            outcome = await service.handle(inquiry)
        if outcome.ticket is None:
            not_requests += 1
        elif outcome.ticket.duplicate:
            duplicates += 1
        else:
            filed += 1
            submitted[outcome.ticket.reference] = start

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    filing = time.perf_counter() - t0
    expected = 2 * filed
    deadline = time.perf_counter() + 300
    while len(arrivals.at) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    total = time.perf_counter() - t0
    stop.set()
    await sender
    counts = await store.outbox_counts()
    await store.close()
    server.close()
    latencies = []
    for message_id, at in arrivals.at.items():
        m = _REF.match(message_id)
        if m and m.group(2) == "forward" and m.group(1) in submitted:
            latencies.append(at - submitted[m.group(1)])
    return {
        "filed": filed, "duplicates": duplicates, "not_requests": not_requests,
        "filing_rps": n / filing, "delivered": len(arrivals.at), "expected": expected,
        "sent_twice": sum(1 for c in arrivals.count.values() if c > 1), "end_to_end_s": total,
        "mails_per_s": len(arrivals.at) / total,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * percentile(latencies, 0.99) if latencies else float("nan"), "outbox": counts,
    }


async def fresh_postgres_database(server_url: str) -> str:
    import asyncpg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{server_url.rpartition('/')[0]}/{name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    assistant = Assistant(load_folder(EMBEDDED_KNOWLEDGE))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    started_pg: str | None = None
    print(f"{args.requests} requests, {args.concurrency} at a time, 2 mails each (forward + acknowledgement)")
    try:
        for backend in backends:
            if backend == "sqlite":
                url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-sqlite-')}/bench.sqlite3"
            else:
                server_url = os.environ.get("TEST_POSTGRES_URL")
                if not server_url:
                    started_pg = tempfile.mkdtemp(prefix="bench-pg-")
                    server_url = subprocess.run([str(PROJECT / "scripts" / "postgres"), "start", started_pg],
                                                check=True, capture_output=True, text=True).stdout.strip()
                url = asyncio.run(fresh_postgres_database(server_url))
            r = asyncio.run(run(url, n=args.requests, concurrency=args.concurrency, assistant=assistant))
            print(f"{backend}: filed {r['filed']} (+{r['duplicates']} duplicates, {r['not_requests']} not requests)"
                  f" at {r['filing_rps']:.0f} requests/s\n"
                  f"  delivered {r['delivered']}/{r['expected']} mails in {r['end_to_end_s']:.1f} s"
                  f" ({r['mails_per_s']:.0f} mails/s), sent twice: {r['sent_twice']}, outbox {r['outbox']}\n"
                  f"  submit -> forward delivered: p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms")
    finally:
        if started_pg:
            subprocess.run([str(PROJECT / "scripts" / "postgres"), "stop", started_pg], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
