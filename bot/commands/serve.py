"""``python -m bot serve [--all]`` and ``python -m bot worker``: the Procfile's long-running processes."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser("serve", help="run the web app (with --all: the workers too, in one process)")
    serve.add_argument("--all", action="store_true",
                       help="also run the outbox sender, mail pipeline, IMAP poller, SMTP listener, Socket Mode")
    serve.add_argument("--port", type=int, help="listen on this port (default: PORT or 8080)")
    serve.set_defaults(func=run_serve)
    worker = subparsers.add_parser("worker", help="run the background workers without the web app")
    worker.set_defaults(func=run_worker)


def run_serve(args: argparse.Namespace) -> int:
    return _run(web_app=True, workers=args.all, port=args.port)


def run_worker(args: argparse.Namespace) -> int:
    return _run(web_app=False, workers=True, port=None)


def _run(*, web_app: bool, workers: bool, port: int | None) -> int:
    import asyncio
    import dataclasses

    from bot import logs, server
    from bot.runtime import load_settings

    settings = load_settings()
    if port is not None:
        settings = dataclasses.replace(settings, port=port)
    logs.configure(settings.log_level, settings.log_format)
    return asyncio.run(server.run(settings, web_app=web_app, workers=workers))
