"""Slack benchmark: N signed events sent at once to the real app; time to ack, time to reply, duplicates.

Usage: .venv/bin/python bench/slack.py [--events 500] [--retries 100] [--database URL] [--rate N]

The app (aiohttp + slack-bolt + the real core and store) listens on 127.0.0.1; the Slack Web API is the
tests' stand-in on another loopback port. Every event is a distinct message (questions and rights requests
from different users); ``--retries`` of them are sent again with X-Slack-Retry-Num, as Slack does when an
ack is late. A reply counts when its chat.postMessage reaches the stand-in; duplicates = replies beyond one
per message (must be 0), extra tickets likewise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.adapters.store import Store  # noqa: E402
from tests.slack.rig import sign  # noqa: E402
from tests.slack.standin import BOT_USER, SlackStandIn  # noqa: E402

QUESTIONS = ["How long do you keep my data?", "Do you sell my personal data?", "Do you use cookies?",
             "Who can I contact about privacy?", "Do you share my data with the police?",
             "What rights do I have?", "Where is my data stored?", "Do you transfer data outside the EU?"]
REQUESTS = ["Please delete all my personal data.", "I want a copy of all the data you have about me.",
            "Please stop sending me marketing e-mails."]
ORGS = ["infentre", "centra", "centiro", "icentrex", "i-centrum"]


def event(n: int) -> tuple[str, dict[str, Any]]:
    """The n-th event: a DM (every fifth a rights request) or a mention, from user U<n>."""
    ts = f"1732262400.{n:06d}"
    org = ORGS[n % len(ORGS)]
    text = (REQUESTS[n % len(REQUESTS)] if n % 5 == 0 else QUESTIONS[n % len(QUESTIONS)]) + f" ({org})"
    im = n % 2 == 0
    body = {"type": "event_callback", "team_id": "T0001", "api_app_id": "A0PRIVACY", "event_id": f"Ev{n:08d}",
            "event_time": 1732262400, "event": {
                "type": "message" if im else "app_mention", "user": f"U{n:07d}", "ts": ts, "event_ts": ts,
                "channel": f"D{n:07d}" if im else "C0GENERAL", "team": "T0001",
                "text": text if im else f"<@{BOT_USER}> {text}", **({"channel_type": "im"} if im else {})}}
    return ts, body


async def send(session: aiohttp.ClientSession, url: str, body: dict[str, Any], retry: int | None,
               *, delay: float = 0.0) -> tuple[float, float]:
    """(sent at, acknowledged at) for one signed event, sent ``delay`` seconds from now."""
    if delay:
        await asyncio.sleep(delay)
    sent = time.perf_counter()
    raw = json.dumps(body).encode()
    now = int(time.time())
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(now),
               "X-Slack-Signature": sign(raw, now)}
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    async with session.post(url, data=raw, headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
    return sent, time.perf_counter()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


async def run(events: int, retries: int, database: str | None, concurrency: int, rate: float | None) -> None:
    standin = SlackStandIn(users={f"U{n:07d}": {"real_name": f"User {n}", "profile": {
        "email": f"user{n}@example.se", "real_name": f"User {n}"}} for n in range(events)})
    await standin.start()
    folder = tempfile.TemporaryDirectory()
    url = database or f"sqlite:///{folder.name}/bench.sqlite3"
    await (await Store.open(url)).close()  # migrate before the bot starts
    bot = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "tests" / "slack" / "serve_bot.py"), standin.api_url, url,
        "--concurrency", str(concurrency),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert bot.stdout is not None and bot.stdin is not None
    port = int((await bot.stdout.readline()).decode())
    target = f"http://127.0.0.1:{port}/slack/events"
    batch = [event(n) for n in range(events)]
    jobs = [(ts, body, None) for ts, body in batch] + [(ts, body, 1) for ts, body in batch[:retries]]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await send(session, target, event(10**6 + 1)[1], None)  # warm-up (a question): auth.test, first index use
        await standin.wait_for("chat.postMessage", 1, timeout=30)
        standin.calls.clear()
        started = time.perf_counter()
        acked = await asyncio.gather(*(send(session, target, body, retry, delay=i / rate if rate else 0.0)
                                       for i, (_, body, retry) in enumerate(jobs)))
        await standin.wait_for("chat.postMessage", events, timeout=300)
        elapsed = time.perf_counter() - started
    await asyncio.sleep(1.0)  # late duplicates, if any, would arrive now
    bot.stdin.close()
    await bot.wait()
    ack_ms = [done - sent for sent, done in acked]
    sent_at = {ts: acked[i][0] for i, (ts, _) in enumerate(batch)}
    replies = standin.of("chat.postMessage")
    per_message = Counter(c.params["thread_ts"] for c in replies)
    first_reply: dict[str, float] = {}
    for call in replies:
        first_reply.setdefault(call.params["thread_ts"], call.at)
    reply_ms = [first_reply[ts] - sent_at[ts] for ts, _ in batch if ts in first_reply]
    store = await Store.open(url, run_migrations=False)
    tickets = (await store.list_tickets()).total
    await store.close()
    expected_tickets = sum(1 for n in range(events) if n % 5 == 0)
    pace = f"at {rate:g}/s" if rate else "all at once"
    print(f"database: {url.split('://')[0]}  events: {events} (+{retries} retries) sent {pace}; "
          f"bot process with {concurrency} Slack workers")
    print(f"HTTP ack   p50 {pct(ack_ms, .5):7.1f} ms   p99 {pct(ack_ms, .99):7.1f} ms   max {max(ack_ms)*1000:7.1f} ms")
    print(f"reply      p50 {pct(reply_ms, .5):7.1f} ms   p99 {pct(reply_ms, .99):7.1f} ms   "
          f"(from sending the event to chat.postMessage reaching the stand-in)")
    print(f"answered {len(first_reply)}/{events} messages in {elapsed:.2f} s ({events / elapsed:.0f}/s); "
          f"tickets {tickets}/{expected_tickets}")
    print(f"duplicates: {sum(n - 1 for n in per_message.values())} replies, "
          f"{max(0, tickets - expected_tickets)} tickets (must be 0)")
    await standin.close()
    folder.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--retries", type=int, default=100, help="events sent a second time as Slack retries")
    parser.add_argument("--database", help="DATABASE_URL (default: a fresh SQLite file)")
    parser.add_argument("--concurrency", type=int, default=16, help="Slack jobs at once in the bot process")
    parser.add_argument("--rate", type=float, help="send this many events per second instead of all at once")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(run(args.events, args.retries, args.database, args.concurrency, args.rate))


if __name__ == "__main__":
    main()
