"""A bot process for kill tests and the benchmark: ``python tests/slack/serve_bot.py API_URL DATABASE_URL``.

Serves our aiohttp app with Slack mounted on 127.0.0.1, prints its port, and stops when stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiohttp import web

from bot.adapters.slack import mount_slack
from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.store import Store
from bot.config import Settings
from tests.slack.rig import SECRET, org_names, real_service
from tests.slack.standin import BOT_TOKEN


async def serve(api_url: str, database: str, concurrency: int) -> None:
    store = await Store.open(database)
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET, slack_api_url=api_url)
    app = web.Application()
    mount_slack(app, service=real_service(store), state=StoreSlackState(store), settings=settings,
                orgs=org_names(), concurrency=concurrency)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)  # type: ignore[union-attr]
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()  # drains the Slack jobs in flight
    await store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("api_url")
    parser.add_argument("database")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(serve(args.api_url, args.database, args.concurrency))


if __name__ == "__main__":
    main()
