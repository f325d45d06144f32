"""Pure predicates over recorded Slack payloads: what is answered, what is a duplicate, what a command says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.events import (
    BotIdentity,
    answerable_mention,
    answerable_message,
    is_from_a_bot,
    message_key,
    parse_command,
    reply_thread,
    strip_mentions,
    well_shaped,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "slack"
ME = BotIdentity(user_id="UBOT0001", bot_id="BBOT0001")
ORGS = {"centra", "infentre", "icentrex", "i-centrum", "centiro"}


def event(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return payload["event"]  # type: ignore[no-any-return]


def test_a_mention_is_answered_and_its_message_twin_is_not() -> None:
    mention, twin = event("app_mention"), event("message_channel_mention")
    assert answerable_mention(mention, ME)
    assert not answerable_message(twin, ME)
    # Both describe one message: one dedupe key, so even a DM twin could never be answered twice.
    assert message_key("T0001", mention["channel"], mention["ts"]) == message_key("T0001", twin["channel"], twin["ts"])


def test_a_direct_message_is_answered() -> None:
    assert answerable_message(event("message_im"), ME)


@pytest.mark.parametrize("name", ["bot_message", "own_message"])
def test_bots_and_ourselves_are_never_answered(name: str) -> None:
    assert is_from_a_bot(event(name), ME)
    assert not answerable_message(event(name), ME)
    assert not answerable_mention({**event(name), "type": "app_mention"}, ME)


@pytest.mark.parametrize("subtype", ["message_changed", "message_deleted", "channel_join", "bot_message"])
def test_edits_joins_and_bot_posts_are_ignored(subtype: str) -> None:
    assert not answerable_message({**event("message_im"), "subtype": subtype}, ME)


@pytest.mark.parametrize("broken", [{}, {"type": "message"}, {"type": "message", "channel_type": "im", "user": 5},
                                    {"type": "message", "channel_type": "im", "user": "U1", "text": None},
                                    {"type": "message", "channel_type": "im", "user": "U1", "text": "<@UBOT0001>"},
                                    {"type": "app_mention", "user": "U1"}])
def test_malformed_or_empty_events_are_not_answered(broken: dict[str, Any]) -> None:
    assert not answerable_message(broken, ME)
    assert not answerable_mention(broken, ME)


def test_mentions_are_stripped_from_the_question() -> None:
    assert strip_mentions("<@UBOT0001>   How long do you keep   my data?", "UBOT0001") == \
        "How long do you keep my data?"
    assert strip_mentions("ask <@UBOT0001|privacybot> about <@U0BOB>", "UBOT0001") == "ask about <@U0BOB>"


def test_replies_go_in_the_questions_thread() -> None:
    assert reply_thread({"ts": "1.1"}) == "1.1"
    assert reply_thread({"ts": "2.2", "thread_ts": "1.1"}) == "1.1"
    assert reply_thread({}) is None


@pytest.mark.parametrize(("text", "action", "org", "question"), [
    ("infentre How long do you keep my data?", "ask", "infentre", "How long do you keep my data?"),
    ("How long do you keep my data?", "ask", None, "How long do you keep my data?"),
    ("Centiro", "ask", None, "Centiro"),
    ("set-org centra", "set-org", "centra", ""),
    ("set-org none", "set-org", None, ""),
    ("set-org", "help", None, ""),
    ("set-org Bad!Id", "help", None, ""),
    ("org", "show-org", None, ""),
    ("", "help", None, ""),
    ("help", "help", None, ""),
])
def test_slash_command_grammar(text: str, action: str, org: str | None, question: str) -> None:
    command = parse_command(text, ORGS)
    assert (command.action, command.org, command.text) == (action, org, question)


@pytest.mark.parametrize("name", ["app_mention", "message_im", "bot_message", "own_message", "slash_command",
                                  "block_actions_file", "block_actions_org", "url_verification"])
def test_recorded_payloads_are_well_shaped(name: str) -> None:
    assert well_shaped(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("odd", [{"event": "x"}, {"event": {"user": 5}}, {"event": {"channel": 5}},
                                 {"actions": {}}, {"actions": ["x"]}, {"user": "U1"}, {"type": 1},
                                 {"response_url": ["http://x"]}])
def test_odd_shapes_are_refused(odd: dict[str, Any]) -> None:
    assert not well_shaped(odd)
