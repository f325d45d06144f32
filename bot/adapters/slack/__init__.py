"""The Slack channel: Events API over HTTP (``mount_slack``) or Socket Mode (``run_socket_mode``)."""

from __future__ import annotations

from bot.adapters.slack.routes import EVENTS_PATH, SLACK_BOT, mount_slack
from bot.adapters.slack.socket import run_socket_mode
from bot.adapters.slack.state import SlackState
from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.slack.wiring import attach_slack

__all__ = ["EVENTS_PATH", "SLACK_BOT", "SlackState", "StoreSlackState", "attach_slack", "mount_slack",
           "run_socket_mode"]
