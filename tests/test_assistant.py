"""The Assistant over the real knowledge folder: answers, cross-lingual, abstention, requests, routing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.knowledge_files import load_folder
from bot.core.assistant import Assistant
from bot.core.models import Answer, Language, Right
from bot.errors import InvalidInput, UnknownOrganisation

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant(load_folder(KNOWLEDGE))


def _verbatim(assistant: Assistant, answer: Answer) -> None:
    for citation in answer.citations:
        policy = next(p for p in assistant.policies if p.id == citation.org)
        assert citation.text in policy.text
        assert citation.quote and citation.quote in citation.text


def test_retention_answer_quotes_the_sentence(assistant: Assistant) -> None:
    answer = assistant.respond("How long do you keep my data?", org="infentre")
    assert answer.answered and answer.org == "infentre" and answer.request is None
    top = answer.citations[0]
    assert top.quote == "We keep this information no longer than 3 years."
    assert top.section == "How long do you keep my information?"
    assert "Infentre" in answer.reply and "“We keep this information no longer than 3 years.”" in answer.reply
    assert "How long do you keep my information?" in answer.reply and "Sources:" in answer.reply
    assert answer.language is Language.EN
    _verbatim(assistant, answer)


@pytest.mark.parametrize("org", ["icentrex", "centiro"])
def test_abstains_where_the_policy_is_silent_on_retention(assistant: Assistant, org: str) -> None:
    answer = assistant.respond("How long do you keep my data?", org=org)
    assert not answer.answered and answer.citations == () and answer.request is None
    assert "does not say" in answer.reply


def test_abstention_offers_postal_route_when_no_address(assistant: Assistant) -> None:
    answer = assistant.respond("How long do you keep my data?", org="icentrex")
    assert "Rosenborgsgatan 12" in answer.reply


def test_english_question_finds_the_swedish_answer(assistant: Assistant) -> None:
    answer = assistant.respond("Do you give my data to the police?", org="centiro")
    assert answer.answered and answer.language is Language.EN
    assert any("polis och myndigheter" in c.quote for c in answer.citations)
    assert answer.reply.startswith("Centiro's privacy policy says")
    _verbatim(assistant, answer)


def test_swedish_question_gets_a_swedish_reply_quoting_english(assistant: Assistant) -> None:
    answer = assistant.respond("Hur länge sparar ni mina uppgifter?", org="infentre")
    assert answer.answered and answer.language is Language.SV
    assert "no longer than 3 years" in answer.citations[0].quote
    assert answer.reply.startswith("Integritetspolicyn för Infentre") and "Källor:" in answer.reply


def test_swedish_silence_is_said_in_swedish(assistant: Assistant) -> None:
    answer = assistant.respond("Hur länge sparar ni mina uppgifter?", org="centiro")
    assert not answer.answered and "säger ingenting" in answer.reply and "info@centiro.se" in answer.reply


@pytest.mark.parametrize(("text", "org"), [
    ("Do you give information to the police?", "infentre"),  # only "data protection authority" is there
    ("Would you give my chats to the police?", "icentrex"),  # only "authorized" is there
    ("Who is your data protection officer?", "centra"),
    ("Is my password encrypted?", "infentre"),
    ("Is my credit card number stored by you?", "i-centrum"),
    ("Do you sell my personal information?", "icentrex"),
])
def test_no_passage_is_quoted_that_only_shares_words(assistant: Assistant, text: str, org: str) -> None:
    answer = assistant.respond(text, org=org)
    assert not answer.answered and answer.citations == ()


def test_erasure_request_in_swedish(assistant: Assistant) -> None:
    answer = assistant.respond("Radera alla mina personuppgifter, tack.", org="centiro")
    assert answer.request is not None and answer.request.right is Right.ERASURE
    assert answer.request.forward_to == "info@centiro.se"
    assert "info@centiro.se" in answer.reply and "radering" in answer.reply


def test_request_without_an_address_gives_the_reason_and_postal_route(assistant: Assistant) -> None:
    answer = assistant.respond("Please delete my account and all my data. /Kalle, kalle@example.se",
                               org="icentrex")
    assert answer.request is not None and answer.request.forward_to is None
    assert answer.request.no_address_reason
    assert "kalle@example.se" in answer.request.identifiers.emails
    assert "no e-mail address" in answer.reply and "Rosenborgsgatan 12" in answer.reply


def test_complaint_names_imy(assistant: Assistant) -> None:
    answer = assistant.respond("I want to file a formal complaint about how you have processed my data.",
                               org="i-centrum")
    assert answer.request is not None and answer.request.right is Right.COMPLAINT
    assert "IMY (Integritetsskyddsmyndigheten)" in answer.reply


def test_a_question_about_rights_is_answered_not_filed(assistant: Assistant) -> None:
    answer = assistant.respond("How do I request a copy of my data?", org="infentre")
    assert answer.request is None and answer.answered
    assert any("request a copy" in c.text for c in answer.citations)


def test_unknown_organisation_asks_which_is_meant(assistant: Assistant) -> None:
    answer = assistant.respond("How long do you keep my data?")
    assert not answer.answered and answer.org is None
    assert set(answer.choices) == {"centra", "infentre", "icentrex", "i-centrum", "centiro"}
    assert "Which organisation" in answer.reply and "Centiro (centiro)" in answer.reply


def test_named_organisation_is_routed(assistant: Assistant) -> None:
    answer = assistant.respond("Hur länge lagrar I-Centrum mina personuppgifter?")
    assert answer.org == "i-centrum" and answer.answered
    assert any("as long as necessary" in c.text for c in answer.citations)


def test_bad_input(assistant: Assistant) -> None:
    with pytest.raises(InvalidInput):
        assistant.respond("   ")
    with pytest.raises(UnknownOrganisation):
        assistant.respond("hello", org="nope")


def test_hostile_input_gets_a_reply(assistant: Assistant) -> None:
    for text in ["\x00\ufeff" * 50, "?" * 10_000, "a" * 100_000, "<script>alert(1)</script>", "😀 🙃"]:
        answer = assistant.respond(text, org="centra")
        assert answer.reply
    assert assistant.meta("centra").name == "Centra"
    with pytest.raises(UnknownOrganisation):
        assistant.meta("nope")


def test_no_policies_at_all_asks_for_nothing_it_cannot_answer() -> None:
    empty = Assistant([])
    answer = empty.respond("How long do you keep my data?")
    assert not answer.answered and answer.citations == ()


@pytest.mark.parametrize(("text", "org"), [
    ("Do you use my data for profiling?", "centra"),
    ("Are my chats recorded?", "centra"),
    ("Do you use my data to train AI models?", "centiro"),
    ("What is your e-mail address?", "icentrex"),
])
def test_words_the_policy_never_uses_mean_it_is_silent(assistant: Assistant, text: str, org: str) -> None:
    answer = assistant.respond(text, org=org)
    assert not answer.answered and answer.citations == ()


def test_an_email_with_greeting_and_sign_off_is_answered(assistant: Assistant) -> None:
    text = ("Hello,\n\nI signed up for one of your webinars last year. Why do you have my details and what are "
            "they used for?\n\nBR, Lisa")
    answer = assistant.respond(text, org="i-centrum")
    assert answer.answered and answer.request is None
    assert any("webinar" in c.text for c in answer.citations)


def test_us_vendors_answer_a_transfer_question(assistant: Assistant) -> None:
    answer = assistant.respond("Is my data sent to the US?", org="centra")
    assert answer.answered and "US company" in answer.citations[0].quote


def test_warm_gives_the_same_answers_as_lazy_preparation(assistant: Assistant) -> None:
    fresh = Assistant(assistant.policies)
    fresh.warm()
    for text, org in [("How long do you keep my data?", "infentre"), ("Använder iCentrex kakor?", "icentrex"),
                      ("Vart skickar jag frågor om er sekretesspolicy?", "centiro")]:
        assert fresh.respond(text, org=org) == assistant.respond(text, org=org)


@pytest.mark.parametrize(("text", "org", "phrase"), [
    ("Hur kontaktar jag er?", "i-centrum", "privacy@i-centrum.se"),
    ("Do you collect information about my browser?", "centiro", "webbläsartyp"),
    ("Vad har jag för rättigheter?", "i-centrum", "opt-out"),
    ("Do you keep my data after I stop being a customer?", "i-centrum", "reasonable period of time"),
    ("What's your address?", "centra", "Humlegårdsgatan 22"),
])
def test_more_ways_of_asking(assistant: Assistant, text: str, org: str, phrase: str) -> None:
    answer = assistant.respond(text, org=org)
    assert answer.answered
    assert any(phrase in c.text for c in answer.citations)


def test_a_list_introduction_is_quoted_with_its_list(assistant: Assistant) -> None:
    answer = assistant.respond("What do you use my information for?", org="centiro")
    quote = answer.citations[0].quote
    assert quote.startswith("Vi använder din personliga information för att:")
    assert "uppfyller dina behov" in quote and quote in answer.citations[0].text


@pytest.mark.parametrize(("text", "org"), [
    ("Hur länge sparar ni kakor?", "centiro"),  # cookies are there, how long is not
    ("What happens to my data if Infentre is sold to another company?", "infentre"),
    ("Where are your servers located?", "icentrex"),  # an address line is not a server location
])
def test_half_answers_are_not_answers(assistant: Assistant, text: str, org: str) -> None:
    answer = assistant.respond(text, org=org)
    assert not answer.answered and answer.citations == ()


def test_citations_are_best_first_by_score(assistant: Assistant) -> None:
    answer = assistant.respond("How do I get off your mailing list?", org="centra")
    scores = [c.score for c in answer.citations]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 3


# ---- scale: answer data prepared in a bounded cache, passages kept compactly, search across organisations

def test_a_small_prepared_cache_answers_the_same(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.core.assistant as assistant_module

    monkeypatch.setattr(assistant_module, "PREPARED_PASSAGES", 1)  # every organisation prepared again each time
    small = Assistant(assistant.policies)
    small.warm()
    questions = [("How long do you keep my data?", "infentre"), ("Säljer ni mina uppgifter?", "centiro"),
                 ("Do you use cookies?", "centra"), ("How long do you keep my data?", "icentrex"),
                 ("How long do you keep my data?", "infentre")]
    for text, org in questions:
        assert small.respond(text, org=org) == assistant.respond(text, org=org)
        assert small.is_prepared(org)
        assert sum(small.is_prepared(p.id) for p in small.policies) == 1  # only the last one asked is kept


def test_cited_passages_are_the_policies_own_text(assistant: Assistant) -> None:
    # Passages are kept as spans into their policy's text and made again for each answer.
    answer = assistant.respond("Do you share my data with third parties?", org="i-centrum")
    policy = next(p for p in assistant.policies if p.id == "i-centrum")
    for citation in answer.citations:
        assert citation.text in policy.text


def test_search_across_organisations_ranks_every_policy_language(assistant: Assistant) -> None:
    hits = assistant.search("kakor cookies", k=50)
    orgs = {h.passage.org for h in hits}
    assert "centiro" in orgs  # Swedish: "kakor"
    assert orgs & {"centra", "infentre", "i-centrum", "icentrex"}  # English: "cookies"
    assert all("kak" in h.passage.text.casefold() or "cookie" in h.passage.text.casefold()
               or "kak" in h.passage.section.casefold() or "cookie" in h.passage.section.casefold() for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert assistant.search("zzzz qqqq") == []


def test_a_story_around_the_question_does_not_change_the_answer(assistant: Assistant) -> None:
    plain = assistant.respond("How long do you keep my data?", org="infentre")
    told = assistant.respond("Hi, I have been a customer since 2019 and I love your shoes. "
                             "How long do you keep my data?", org="infentre")
    assert told.answered and [c.passage_id for c in told.citations] == [c.passage_id for c in plain.citations]
