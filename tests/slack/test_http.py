"""Signed Events API requests over real HTTP to our aiohttp app; what reaches the stand-in Slack."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from .rig import Rig, payload, sign
from .standin import BOT_USER


async def test_url_verification_echoes_the_challenge(rig: Rig) -> None:
    response = await rig.event(payload("url_verification"))
    assert response.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in await response.text()


@pytest.mark.parametrize("case", ["bad-signature", "other-secret", "stale", "future", "no-headers", "junk-ts"])
async def test_unsigned_or_stale_requests_are_refused_and_nothing_is_posted(rig: Rig, case: str) -> None:
    body = json.dumps(payload("app_mention")).encode()
    now = int(time.time())
    if case == "bad-signature":
        response = await rig.send(body, "application/json", signature="v0=" + "0" * 64)
    elif case == "other-secret":
        response = await rig.send(body, "application/json", signature=sign(body, now, "another-secret"))
    elif case == "stale":  # Slack's rule: older than five minutes is a replay
        response = await rig.send(body, "application/json", timestamp=now - 301)
    elif case == "future":
        response = await rig.send(body, "application/json", timestamp=now + 301)
    elif case == "junk-ts":
        response = await rig.client.post("/slack/events", data=body, headers={
            "X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=ü"})
    else:
        response = await rig.client.post("/slack/events", data=body)
    assert response.status == 401
    await asyncio.sleep(0.2)
    await rig.settle()
    assert rig.standin.calls == []


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2, 3]", b"payload=%7Bbroken", b"payload=%5B%5D",
                                  b"\xff\xfe\x00garbage", b"a=1&&&=b=c"])
async def test_signed_but_malformed_bodies_are_400_and_nothing_is_posted(rig: Rig, body: bytes) -> None:
    response = await rig.send(body, "application/x-www-form-urlencoded")
    assert response.status == 400
    await rig.settle()
    assert rig.standin.calls == []


async def test_a_mention_is_answered_in_its_thread_with_the_quote(rig: Rig) -> None:
    event = payload("app_mention")
    started = time.perf_counter()
    response = await rig.event(event)
    assert response.status == 200
    assert time.perf_counter() - started < 3.0
    [post] = await rig.standin.wait_for("chat.postMessage")
    await rig.settle()
    assert post.params["channel"] == "C0GENERAL"
    assert post.params["thread_ts"] == event["event"]["ts"]
    body = json.dumps(post.params["blocks"], ensure_ascii=False)
    assert post.params["blocks"][0]["text"]["text"].startswith("> ")  # the quoted sentence(s)
    assert "Infentre" in body and "How long do you keep my information?" in body  # org and section
    assert "<@" not in post.params["text"]


async def test_the_same_event_delivered_three_times_is_answered_once(rig: Rig) -> None:
    event = payload("app_mention")
    responses = await asyncio.gather(rig.event(event), rig.event(event, retry=1), rig.event(event, retry=2))
    assert [r.status for r in responses] == [200, 200, 200]
    await rig.settle()
    await rig.event(event, retry=3)
    await rig.settle()
    assert len(rig.standin.of("chat.postMessage")) == 1


async def test_a_mention_that_also_arrives_as_a_message_is_answered_once(rig: Rig) -> None:
    await asyncio.gather(rig.event(payload("message_channel_mention")), rig.event(payload("app_mention")))
    await rig.settle()
    dm_twin = payload("message_channel_mention")
    dm_twin["event"]["channel_type"] = "im"  # even if Slack sent it as a DM message, the key is the message
    await rig.event(dm_twin)
    await rig.settle()
    assert len(rig.standin.of("chat.postMessage")) == 1


@pytest.mark.parametrize("name", ["bot_message", "own_message"])
async def test_bots_and_our_own_messages_are_ignored(rig: Rig, name: str) -> None:
    response = await rig.event(payload(name))
    assert response.status == 200
    await rig.settle()
    assert rig.standin.of("chat.postMessage") == []


async def test_unknown_event_types_are_acknowledged(rig: Rig) -> None:
    event = payload("app_mention")
    event["event"] = {"type": "reaction_added", "user": "U0ALICE", "reaction": "thumbsup"}
    response = await rig.event(event)
    assert response.status == 200
    await rig.settle()
    assert rig.standin.of("chat.postMessage") == []


async def test_a_question_naming_an_org_is_answered_for_it(rig: Rig) -> None:
    event = payload("app_mention")
    event["event"]["text"] = f"<@{BOT_USER}> Does Centra sell my personal data?"
    await rig.event(event)
    [post] = await rig.standin.wait_for("chat.postMessage")
    assert "Centra" in json.dumps(post.params["blocks"]) + post.params["text"]
    assert "Infentre" not in json.dumps(post.params["blocks"])
