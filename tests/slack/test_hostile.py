"""Signed but odd payloads (wrong shapes, missing fields): a clean status, never a crash, nothing posted."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from .rig import Rig, payload

ODD_EVENTS: list[Any] = [
    {"type": "event_callback"},
    {"type": "event_callback", "event": "app_mention"},
    {"type": "event_callback", "event": []},
    {"type": "event_callback", "event": {"type": "app_mention"}},
    {"type": "event_callback", "event": {"type": "app_mention", "user": ["U1"], "channel": 5, "ts": None}},
    {"type": "event_callback", "event": {"type": "message", "channel_type": "im", "user": "U1", "text": 42}},
    {"type": "event_callback", "event": {"type": "message", "channel_type": "im", "user": "U1", "text": "hi",
                                         "channel": {"id": "D1"}, "ts": 1.5}},
    {"type": "something_else"},
    {},
]
ODD_ACTIONS: list[Any] = [
    {"type": "block_actions"},
    {"type": "block_actions", "actions": "x"},
    {"type": "block_actions", "actions": [{"action_id": "privacy_file_request"}]},
    {"type": "block_actions", "actions": [{"action_id": "privacy_file_request", "value": 7}], "user": "U1"},
    {"type": "block_actions", "actions": [{"action_id": "privacy_choose_org", "selected_option": None}],
     "container": [], "user": {"id": None}},
    {"type": "view_submission", "view": {}},
]


@pytest.mark.parametrize("data", ODD_EVENTS)
async def test_odd_events(rig: Rig, data: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        response = await rig.event(data)
        await rig.settle()
    assert response.status in {200, 400, 404}
    assert rig.standin.of("chat.postMessage") == []
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("data", ODD_ACTIONS)
async def test_odd_interactions(rig: Rig, data: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        response = await rig.interaction(data)
        await rig.settle()
    assert response.status in {200, 400, 404}
    assert rig.standin.of("chat.postMessage") == [] and rig.standin.of("chat.update") == []
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("fields", [{"command": "/privacy"}, {"command": "/privacy", "channel_id": "C1"},
                                    {"command": "/privacy", "channel_id": "C1", "user_id": "U1", "text": ""},
                                    {"command": "/other", "text": "x"}])
async def test_odd_commands(rig: Rig, fields: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        response = await rig.command(fields)
        await rig.settle()
    assert response.status in {200, 400, 404}
    assert not [r for r in caplog.records if r.exc_info]


async def test_an_empty_question_gets_a_polite_reply(rig: Rig) -> None:
    event = payload("message_im")
    event["event"]["text"] = "   ?  "
    await rig.event(event)
    await rig.settle()
    [reply] = rig.standin.of("chat.postMessage")
    assert reply.params["text"]
