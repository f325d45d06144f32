"""Rights requests from Slack: one ticket with the Slack evidence, the button, the menu, /privacy, staff notice."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.adapters.slack.conversation import AMBIGUOUS_BELOW
from bot.adapters.slack.store_state import StoreSlackState
from bot.adapters.store import Store

from .rig import ALICE, Rig, open_rig, payload, real_responder
from .standin import BOT_USER, SlackStandIn

# A request, or just a remark? The core is unsure (confidence < 0.7); the first one it is unsure about is used.
UNSURE = ("My address is wrong.", "Could I get a copy of my data", "Delete my data?",
          "My phone number in your system is wrong")


def ambiguous() -> str:
    responder = real_responder()
    for text in UNSURE:
        request = responder.respond(text, org="infentre").request
        if request is not None and request.confidence < AMBIGUOUS_BELOW:
            return text
    raise AssertionError(f"precondition: the core is sure about all of {UNSURE}")


async def tickets(store: Store) -> list[Any]:
    return list((await store.list_tickets()).items)


def dm(text: str, *, ts: str = "1732262500.000200", user: str = ALICE) -> dict[str, Any]:
    data = payload("message_im")
    data["event"] |= {"text": text, "ts": ts, "event_ts": ts, "user": user}
    data["event_id"] = f"Ev{ts.replace('.', '')}"
    return data


async def test_a_request_in_a_dm_files_one_ticket_with_slack_evidence(rig: Rig) -> None:
    event = payload("message_im")
    responses = await asyncio.gather(*(rig.event(event, retry=n or None) for n in range(3)))
    assert [r.status for r in responses] == [200, 200, 200]
    await rig.settle()
    [ticket] = await tickets(rig.store)
    assert (ticket.org, ticket.right, ticket.channel) == ("infentre", "erasure", "slack")
    evidence = dict(ticket.requester_evidence)
    assert evidence == {"slack_user": ALICE, "slack_team": "T0001", "slack_verified_email": "alice@example.se"}
    assert ticket.requester_name == "Alice Andersson"
    assert ticket.original_text == "Please delete all my personal data."
    replies = [c for c in rig.standin.of("chat.postMessage") if c.params["channel"] == "D0ALICEDM"]
    assert len(replies) == 1
    assert replies[0].params["thread_ts"] == event["event"]["ts"]
    shown = json.dumps(replies[0].params["blocks"])
    assert ticket.reference in shown and ticket.deadline.isoformat() in shown
    [users_info] = rig.standin.of("users.info")
    assert users_info.params["user"] == ALICE


async def test_new_tickets_are_announced_in_the_staff_channel_with_a_link(rig: Rig) -> None:
    await rig.event(payload("message_im"))
    await rig.settle()
    [ticket] = await tickets(rig.store)
    [notice] = [c for c in rig.standin.of("chat.postMessage") if c.params["channel"] == "C0STAFF"]
    text = json.dumps(notice.params["blocks"])
    assert f"https://bot.example.org/staff/tickets/{ticket.reference}" in text
    assert "erasure" in text and "Infentre" in text and ticket.deadline.isoformat() in text
    # The same request again while the first is open: linked as a duplicate, no second announcement.
    await rig.event(dm("Please delete all my personal data.", ts="1732262999.000900"))
    await rig.settle()
    assert len(await tickets(rig.store)) == 1
    assert len([c for c in rig.standin.of("chat.postMessage") if c.params["channel"] == "C0STAFF"]) == 1


async def test_an_ambiguous_request_offers_a_button_and_a_click_files_and_updates_in_place(rig: Rig) -> None:
    text = ambiguous()
    await rig.event(dm(text))
    [offer] = await rig.standin.wait_for("chat.postMessage")
    await rig.settle()
    assert await tickets(rig.store) == []
    [actions] = [b for b in offer.params["blocks"] if b["type"] == "actions"]
    button = actions["elements"][0]
    assert button["text"]["text"] == "File this as a request"
    click = payload("block_actions_file")
    click["actions"][0]["value"] = button["value"]
    click["container"] |= {"channel_id": "D0ALICEDM", "message_ts": "1700000000.000001"}
    click["response_url"] = rig.standin.hook_url("click")
    responses = await asyncio.gather(rig.interaction(click), rig.interaction(click))  # a double click
    assert [r.status for r in responses] == [200, 200]
    await rig.settle()
    [ticket] = await tickets(rig.store)
    assert ticket.original_text == text
    assert dict(ticket.requester_evidence)["slack_verified_email"] == "alice@example.se"
    [update] = rig.standin.of("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("D0ALICEDM", "1700000000.000001")
    shown = json.dumps(update.params["blocks"])
    assert ticket.reference in shown and "File this as a request" not in shown
    # The asker's words are not kept once the click came.
    assert await StoreSlackState(rig.store).recall(button["value"]) is None


async def test_only_the_asker_can_file_their_question(rig: Rig) -> None:
    await rig.event(dm(ambiguous()))
    [offer] = await rig.standin.wait_for("chat.postMessage")
    await rig.settle()
    button = next(b for b in offer.params["blocks"] if b["type"] == "actions")["elements"][0]
    click = payload("block_actions_file")
    click["actions"][0]["value"] = button["value"]
    click["user"]["id"] = "U0BOB"
    click["response_url"] = rig.standin.hook_url("bob")
    await rig.interaction(click)
    [note] = await rig.standin.wait_for("hook")
    await rig.settle()
    assert "Only the person who asked" in note.params["text"] and note.params["response_type"] == "ephemeral"
    assert await tickets(rig.store) == [] and rig.standin.of("chat.update") == []


async def test_a_click_on_an_unknown_question_is_answered_politely(rig: Rig) -> None:
    click = payload("block_actions_file")
    click["actions"][0]["value"] = "slack:pending:never-asked"
    click["response_url"] = rig.standin.hook_url()
    assert (await rig.interaction(click)).status == 200
    [note] = await rig.standin.wait_for("hook")
    assert "ask it again" in note.params["text"]


async def test_without_any_org_the_bot_asks_with_a_menu_and_a_choice_answers(slack_store: Store,
                                                                             standin: SlackStandIn) -> None:
    rig = await open_rig(store=slack_store, standin=standin)  # no SLACK_DEFAULT_ORG
    try:
        await rig.event(payload("app_mention"))
        [menu] = await standin.wait_for("chat.postMessage")
        select = menu.params["blocks"][0]["accessory"]
        assert select["type"] == "static_select"
        values = {o["text"]["text"]: o["value"] for o in select["options"]}
        assert set(values) == {"Centiro", "Centra", "i-Centrum", "iCentrex", "Infentre"}
        choice = payload("block_actions_org")
        choice["actions"][0]["selected_option"]["value"] = values["Infentre"]
        await rig.interaction(choice)
        [update] = await standin.wait_for("chat.update")
        await rig.settle()
        assert update.params["ts"] == choice["container"]["message_ts"]
        assert "How long do you keep my information?" in json.dumps(update.params["blocks"])
        assert len(standin.of("chat.postMessage")) == 1
    finally:
        await rig.client.close()


async def test_a_channel_mapping_set_by_slash_command_wins_over_the_default(rig: Rig) -> None:
    command = payload("slash_command") | {"text": "set-org centra", "response_url": rig.standin.hook_url("set")}
    assert (await rig.command(command)).status == 200
    [confirmation] = await rig.standin.wait_for("hook")
    assert "centra" in confirmation.params["text"]
    assert await rig.store.channel_org("C0GENERAL") == "centra"
    event = payload("app_mention")
    event["event"]["text"] = f"<@{BOT_USER}> Do you sell my personal data?"
    await rig.event(event)
    [post] = await rig.standin.wait_for("chat.postMessage")
    assert "Centra" in json.dumps(post.params["blocks"]) and "Infentre" not in json.dumps(post.params["blocks"])
    clear = payload("slash_command") | {"text": "set-org none", "trigger_id": "t2",
                                        "response_url": rig.standin.hook_url("clear")}
    await rig.command(clear)
    await rig.standin.wait_for("hook", 2)
    assert await rig.store.channel_org("C0GENERAL") is None


async def test_an_unknown_org_cannot_be_set(rig: Rig) -> None:
    command = payload("slash_command") | {"text": "set-org acme", "response_url": rig.standin.hook_url()}
    await rig.command(command)
    [reply] = await rig.standin.wait_for("hook")
    assert "acme" in reply.params["text"] and "centra" in reply.params["text"]
    assert await rig.store.channel_org("C0GENERAL") is None


async def test_slash_command_answers_privately_through_the_response_url(rig: Rig) -> None:
    command = payload("slash_command") | {"response_url": rig.standin.hook_url("cmd")}
    response = await rig.command(command)
    assert response.status == 200
    [reply] = await rig.standin.wait_for("hook")
    assert reply.params["response_type"] == "ephemeral"
    assert "How long do you keep my information?" in json.dumps(reply.params["blocks"])
    await rig.command(command)  # Slack does not retry commands, but a repeat must not answer twice
    await rig.settle()
    assert len(rig.standin.hooks) == 1


async def test_slash_command_files_a_request(rig: Rig) -> None:
    command = payload("slash_command") | {"text": "centra Please delete my account and all my data.",
                                          "response_url": rig.standin.hook_url("req")}
    await rig.command(command)
    [reply] = await rig.standin.wait_for("hook")
    await rig.settle()
    [ticket] = await tickets(rig.store)
    assert ticket.org == "centra" and ticket.reference in json.dumps(reply.params["blocks"])


async def test_slash_help_lists_the_organisations(rig: Rig) -> None:
    await rig.command(payload("slash_command") | {"text": "help", "response_url": rig.standin.hook_url()})
    [reply] = await rig.standin.wait_for("hook")
    assert "set-org" in reply.params["text"] and "i-centrum" in json.dumps(reply.params["blocks"])


async def test_slash_hjalp_answers_in_swedish(rig: Rig) -> None:
    await rig.command(payload("slash_command") | {"text": "hjälp", "response_url": rig.standin.hook_url()})
    [reply] = await rig.standin.wait_for("hook")
    assert "Fråga mig om en organisations integritetspolicy" in reply.params["text"]
    assert "Organisationer:" in json.dumps(reply.params["blocks"], ensure_ascii=False)


async def test_an_address_slack_has_not_confirmed_is_not_called_verified(rig: Rig) -> None:
    rig.standin.users[ALICE]["is_email_confirmed"] = False
    await rig.event(payload("message_im"))
    await rig.settle()
    [ticket] = await tickets(rig.store)
    assert dict(ticket.requester_evidence) == {"slack_user": ALICE, "slack_team": "T0001",
                                               "slack_unconfirmed_email": "alice@example.se"}


async def test_a_button_in_a_private_slash_answer_files_and_replaces_it(rig: Rig) -> None:
    text = ambiguous()
    await rig.command(payload("slash_command") | {"text": f"infentre {text}", "response_url": rig.standin.hook_url()})
    [offer] = await rig.standin.wait_for("hook")
    button = next(b for b in offer.params["blocks"] if b["type"] == "actions")["elements"][0]
    click = payload("block_actions_file")
    click["actions"][0]["value"] = button["value"]
    click["container"] = {"type": "message", "message_ts": "1732262999.000100", "channel_id": "C0GENERAL",
                          "is_ephemeral": True}
    click["response_url"] = rig.standin.hook_url("replace")
    await rig.interaction(click)
    [_, replaced] = await rig.standin.wait_for("hook", 2)
    await rig.settle()
    [ticket] = await tickets(rig.store)
    assert replaced.params["_hook"] == "replace" and replaced.params["replace_original"] is True
    assert ticket.reference in json.dumps(replaced.params["blocks"]) and rig.standin.of("chat.update") == []


async def test_a_request_for_an_unnamed_org_is_filed_once_the_org_is_chosen(slack_store: Store,
                                                                            standin: SlackStandIn) -> None:
    rig = await open_rig(store=slack_store, standin=standin)  # no SLACK_DEFAULT_ORG
    try:
        await rig.event(payload("message_im"))  # "Please delete all my personal data."
        [menu] = await standin.wait_for("chat.postMessage")
        await rig.settle()
        assert await tickets(slack_store) == []
        values = {o["text"]["text"]: o["value"] for o in menu.params["blocks"][0]["accessory"]["options"]}
        choice = payload("block_actions_org")
        choice["actions"][0]["selected_option"]["value"] = values["Centra"]
        choice["container"] |= {"channel_id": "D0ALICEDM"}
        await asyncio.gather(rig.interaction(choice), rig.interaction(choice))  # picked twice, quickly
        await rig.settle()
        [ticket] = await tickets(slack_store)
        assert (ticket.org, ticket.right) == ("centra", "erasure")
        assert dict(ticket.requester_evidence)["slack_verified_email"] == "alice@example.se"
        [update] = standin.of("chat.update")
        assert update.params["channel"] == "D0ALICEDM" and ticket.reference in json.dumps(update.params["blocks"])
    finally:
        await rig.client.close()
