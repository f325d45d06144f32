"""Pure predicates and parsers over Slack payloads: which events to answer, and what a command says."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

# Message subtypes that carry a person's words; every other subtype (edits, joins, bot posts...) is ignored.
_ANSWERABLE_SUBTYPES = frozenset({None, "", "file_share", "thread_broadcast"})
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """Who the bot is in the workspace (from ``auth.test``)."""

    user_id: str | None = None
    bot_id: str | None = None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def is_from_a_bot(event: Mapping[str, Any], me: BotIdentity) -> bool:
    """True for our own messages and for any other bot's (never answer a bot: loops)."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message":
        return True
    user = event.get("user")
    return bool(me.user_id) and user == me.user_id


def mentions(text: str, user_id: str | None) -> bool:
    """Whether ``text`` contains an ``<@USER>`` mention of ``user_id``."""
    return bool(user_id) and any(m.group(1) == user_id for m in _MENTION.finditer(text))


def strip_mentions(text: str, user_id: str | None) -> str:
    """The question without the leading/embedded mention of the bot, whitespace tidied."""
    if user_id:
        text = re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", " ", text)
    return " ".join(text.split())


def answerable_message(event: Mapping[str, Any], me: BotIdentity) -> bool:
    """A ``message`` event the bot answers: a person's direct message, not an edit or a bot post.

    A mention in a channel the bot reads arrives twice (``app_mention`` and ``message``); the
    ``app_mention`` answers, so a channel message that mentions the bot is skipped here.
    """
    if event.get("type") != "message" or event.get("subtype") not in _ANSWERABLE_SUBTYPES:
        return False
    if is_from_a_bot(event, me) or not isinstance(event.get("user"), str):
        return False
    if event.get("channel_type") != "im":
        return False
    return bool(strip_mentions(_text(event.get("text")), me.user_id))


def answerable_mention(event: Mapping[str, Any], me: BotIdentity) -> bool:
    """An ``app_mention`` event from a person that holds a question beside the mention."""
    if event.get("type") != "app_mention" or is_from_a_bot(event, me):
        return False
    if event.get("subtype") not in _ANSWERABLE_SUBTYPES or not isinstance(event.get("user"), str):
        return False
    return isinstance(event.get("channel"), str) and isinstance(event.get("ts"), str)


def message_key(team: str | None, channel: str, ts: str) -> str:
    """The dedupe key of one Slack message: the same for a retry and for its mention/message twin."""
    return f"slack:msg:{team or '-'}:{channel}:{ts}"


def reply_thread(event: Mapping[str, Any]) -> str | None:
    """The thread to answer in: the question's own thread, or a new one under the question."""
    thread = event.get("thread_ts") or event.get("ts")
    return thread if isinstance(thread, str) else None


@dataclass(frozen=True, slots=True)
class Command:
    """What ``/privacy ...`` asks for: ``ask`` (with an optional org), ``set-org``, ``show-org`` or ``help``."""

    action: str
    text: str = ""
    org: str | None = None
    swedish: bool = False  # "/privacy hjälp": the help in Swedish


def parse_command(text: str, known_orgs: Collection[str]) -> Command:
    """``/privacy [org] question`` | ``/privacy set-org ID|none`` | ``/privacy org`` | ``/privacy help``."""
    words = text.split()
    if not words or words[0].lower() in {"help", "hjälp", "-h", "--help"}:
        return Command("help", swedish=bool(words) and words[0].lower() == "hjälp")
    head = words[0].lower()
    if head in {"set-org", "setorg", "set_org"}:
        if len(words) != 2:
            return Command("help")
        value = words[1].lower()
        if value in {"none", "-", "off", "clear"}:
            return Command("set-org", org=None)
        return Command("set-org", org=value) if _ORG_ID.match(value) else Command("help")
    if head in {"org", "show-org"} and len(words) == 1:
        return Command("show-org")
    if head in known_orgs and len(words) > 1:
        return Command("ask", text=" ".join(words[1:]), org=head)
    return Command("ask", text=" ".join(words))


_EVENT_TEXT_FIELDS = ("type", "subtype", "user", "ts", "thread_ts", "event_ts", "text", "team", "channel_type",
                      "bot_id")
_TOP_TEXT_FIELDS = ("type", "team_id", "event_id", "api_app_id", "command", "text", "user_id", "channel_id",
                    "response_url", "trigger_id")
_MAPPINGS = ("user", "container", "channel", "team", "message", "view", "state")


def _optional(value: Any, kind: type | tuple[type, ...]) -> bool:
    return value is None or isinstance(value, kind)


def well_shaped(payload: Mapping[str, Any]) -> bool:
    """The fields we and slack-bolt read have the types Slack documents (a signed payload can still be odd)."""
    if not all(_optional(payload.get(k), str) for k in _TOP_TEXT_FIELDS):
        return False
    event = payload.get("event")
    if event is not None:
        if not isinstance(event, Mapping):
            return False
        if not all(_optional(event.get(k), str) for k in _EVENT_TEXT_FIELDS):
            return False
        if not _optional(event.get("channel"), (str, Mapping)):
            return False
    if not all(_optional(payload.get(k), Mapping) for k in _MAPPINGS):
        return False
    actions = payload.get("actions")
    return actions is None or (isinstance(actions, list) and all(isinstance(a, Mapping) for a in actions))
