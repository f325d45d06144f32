"""Block Kit rendering: quote, organisation and section as context, other sources, Slack's limits."""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack import blocks
from bot.core.models import Answer, Citation, Language, RecognisedRequest, Right
from bot.service import FiledTicket, Outcome

NAMES = {"infentre": "Infentre AB", "centra": "Centra"}


def _texts(rendered: list[dict[str, Any]]) -> str:
    return json.dumps(rendered, ensure_ascii=False)


def cited(reply: str = "Infentre's policy answers this in section \"How long?\".", **kw: Any) -> Answer:
    citations = (
        Citation("infentre", "How long do you keep my information?", "infentre:how-long:1",
                 "How long do you keep my information?\nWe keep this information no longer than 3 years.", 7.5,
                 quote="We keep this information no longer than 3 years."),
        Citation("infentre", "Your rights", "infentre:rights:1", "You may ask us to erase <b>data</b>.", 3.1,
                 quote="You may ask us to erase <b>data</b>."),
    )
    return Answer(org="infentre", answered=True, reply=reply, language=Language.EN, citations=citations, **kw)


def test_answer_quotes_the_sentence_with_org_and_section_and_lists_other_sources() -> None:
    rendered = blocks.answer_blocks(Outcome(cited()), names=NAMES)
    kinds = [b["type"] for b in rendered]
    assert kinds == ["section", "context", "divider", "section"]
    assert rendered[0]["text"]["text"] == "> We keep this information no longer than 3 years."
    assert rendered[1]["elements"][0]["text"] == "*Infentre AB* · How long do you keep my information?"
    assert "Other sources" in rendered[3]["text"]["text"] and "Your rights" in rendered[3]["text"]["text"]
    # Policy text can never inject mrkdwn links or mentions.
    assert "&lt;b&gt;data&lt;/b&gt;" in rendered[3]["text"]["text"]
    assert "<b>" not in _texts(rendered)


def test_the_quote_is_shown_once_and_the_plain_reply_is_the_fallback_text() -> None:
    answer = cited(reply="Infentre says: We keep this information no longer than 3 years.")
    rendered = blocks.answer_blocks(Outcome(answer), names=NAMES)
    assert _texts(rendered).count("no longer than 3 years") == 1
    assert blocks.fallback_text(Outcome(answer)) == answer.reply


def test_an_abstention_shows_the_cores_words() -> None:
    answer = Answer(org="icentrex", answered=False, reply="iCentrex's policy does not say. Write to <x@y>.",
                    language=Language.EN)
    rendered = blocks.answer_blocks(Outcome(answer), names=NAMES)
    assert rendered == [{"type": "section", "text": {"type": "mrkdwn",
                                                     "text": "iCentrex's policy does not say. Write to &lt;x@y&gt;."}}]


def test_swedish_labels_for_a_swedish_question() -> None:
    answer = Answer(org="infentre", answered=True, reply="Svar", language=Language.SV,
                    citations=cited().citations)
    assert "Andra källor" in _texts(blocks.answer_blocks(Outcome(answer), names=NAMES))


def test_request_reply_carries_reference_and_deadline() -> None:
    answer = Answer(org="infentre", answered=True, reply="Recognised as an erasure request.", language=Language.EN,
                    request=RecognisedRequest(Right.ERASURE, "privacy@infentre.se"))
    rendered = blocks.answer_blocks(Outcome(answer, FiledTicket("DSR-2026-00042", "2026-12-22")), names=NAMES)
    assert "DSR-2026-00042" in rendered[-1]["text"]["text"] and "2026-12-22" in rendered[-1]["text"]["text"]
    assert "DSR-2026-00042 (2026-12-22)" in blocks.fallback_text(Outcome(answer, FiledTicket("DSR-2026-00042",
                                                                                              "2026-12-22")))


def test_ambiguous_request_offers_a_button_until_filed() -> None:
    answer = cited(request=RecognisedRequest(Right.ERASURE, None, confidence=0.5))
    offered = blocks.answer_blocks(Outcome(answer), names=NAMES, file_value="slack:pending:k")
    button = offered[-1]["elements"][0]
    assert (button["action_id"], button["value"], button["text"]["text"]) == (
        blocks.ACTION_FILE, "slack:pending:k", "File this as a request")
    filed = blocks.answer_blocks(Outcome(answer, FiledTicket("DSR-2026-00001", "2026-12-22")), names=NAMES,
                                 file_value="slack:pending:k")
    assert all(b["type"] != "actions" for b in filed)


def test_everything_stays_within_slacks_limits() -> None:
    huge = "x" * 10_000
    answer = Answer(org="infentre", answered=True, reply=huge, language=Language.EN,
                    citations=tuple(Citation("infentre", huge, f"p{i}", huge, 1.0, quote=huge) for i in range(60)))
    rendered = blocks.answer_blocks(Outcome(answer), names=NAMES, file_value=huge)
    assert len(rendered) <= blocks.MAX_BLOCKS
    for block in rendered:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= blocks.MAX_SECTION
        for element in block.get("elements", []):
            assert len(element.get("text", {}).get("text", "") if isinstance(element.get("text"), dict)
                       else element.get("text", "")) <= blocks.MAX_SECTION
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= blocks.MAX_PLAIN
                assert len(element["value"]) <= blocks.MAX_VALUE
    assert len(blocks.fallback_text(Outcome(answer))) <= blocks.MAX_FALLBACK


def test_org_menu_lists_the_choices_with_short_values() -> None:
    answer = Answer(org=None, answered=False, reply="Which organisation do you mean?", language=Language.EN,
                    choices=("centra", "infentre"))
    names = {**NAMES, "centra": "C" * 200}
    rendered = blocks.org_menu_blocks(answer, choices=answer.choices, names=names, value="slack:pending:k")
    select = rendered[0]["accessory"]
    assert select["action_id"] == blocks.ACTION_CHOOSE_ORG
    assert [o["value"] for o in select["options"]] == ["slack:pending:k|centra", "slack:pending:k|infentre"]
    assert all(len(o["text"]["text"]) <= blocks.MAX_OPTION for o in select["options"])
    many = blocks.org_menu_blocks(answer, choices=[f"org{i}" for i in range(500)], names={}, value="v")
    assert len(many[0]["accessory"]["options"]) == blocks.MAX_OPTIONS


def test_staff_notice_links_the_staff_page() -> None:
    text, rendered = blocks.staff_notice(ticket=FiledTicket("DSR-2026-00042", "2026-12-22"), right="erasure",
                                         org="infentre", names=NAMES, public_url="https://bot.example.org/")
    body = rendered[0]["text"]["text"]
    assert "<https://bot.example.org/staff/tickets/DSR-2026-00042|" in body
    assert "erasure" in body and "Infentre AB" in body and "2026-12-22" in body and "DSR-2026-00042" in text
