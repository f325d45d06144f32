"""The text analyser: normalisation, stop words, stems, Swedish compounds, language detection."""

from __future__ import annotations

import pytest

from bot.core.models import Language
from bot.core.text import asked_sentences, compound_parts, detect_language, normalise, stem, stems, terms, words


def test_typographic_variants_fold_to_ascii() -> None:
    raw = "e\u2011mail +46\u00a008\u2011720 Centra\u2019s \u201cquote\u201d"
    assert normalise(raw) == "e-mail +46 08-720 centra's \"quote\""


def test_words_split_hyphens_and_punctuation_and_casefold() -> None:
    assert words("Tredje-part, IP-address & ÅÄÖ!") == ["tredje", "part", "ip", "address", "åäö"]
    # A single letter stays joined: "e-mail" is "email" and "e\u2011post" is "epost".
    assert words("E-mail e\u2011post") == ["email", "epost"]


def test_stop_words_of_both_languages_are_dropped() -> None:
    assert terms("How long do you keep my data?", Language.EN) == ["long", "keep", "data"]
    assert terms("Hur länge sparar ni mina uppgifter?", Language.SV) == ["läng", "spar", "uppgift"]


def test_inflections_share_a_stem() -> None:
    assert terms("cookies", Language.EN) == terms("cookie", Language.EN)
    assert terms("kakor", Language.SV) == terms("kaka", Language.SV)
    # Snowball drops the final s of the bare word only ("webbplats" -> "webbplat", "webbplatsen" -> "webbplats").
    assert stem("webbplats", Language.SV) == stem("webbplatsen", Language.SV) == stem("webbplatser", Language.SV)
    assert stem("kurs", Language.SV) == stem("kursen", Language.SV)
    assert stem("process", Language.SV) == stem("processen", Language.SV)


@pytest.mark.parametrize(("word", "parts"), [
    ("personuppgifter", ("person", "uppgifter")),
    ("tredjepart", ("tredje", "part")),
    ("nyhetsbrev", ("nyhets", "brev")),
    ("registreringsinformation", ("registrerings", "information")),
])
def test_swedish_compounds_split_into_known_parts(word: str, parts: tuple[str, ...]) -> None:
    assert compound_parts(word) == parts


def test_non_compounds_are_left_alone() -> None:
    assert compound_parts("information") == ()
    assert compound_parts("polis") == ()


def test_compound_and_separate_words_meet() -> None:
    joined = set(terms("tredjepart", Language.SV))
    apart = set(terms("tredje part", Language.SV))
    assert apart <= joined
    assert "uppgift" in terms("personuppgifter", Language.SV)
    # In order too, so the phrase "tredje part" matches inside the compound.
    assert stems("tredjepart", Language.SV)[1:] == ["tredj", "part"]


@pytest.mark.parametrize(("text", "language"), [
    ("Radera alla mina personuppgifter, tack.", Language.SV),
    ("Rätta min adress", Language.SV),
    ("Hur länge sparar ni mina uppgifter?", Language.SV),
    ("Jag vill ha ett registerutdrag", Language.SV),
    ("Ta bort mig från ert nyhetsbrev", Language.SV),
    ("How long do you keep my data?", Language.EN),
    ("please delete my data", Language.EN),
    ("Do you use cookies?", Language.EN),
    ("Stop sending me newsletters!", Language.EN),
    ("What is ICENTREX's postal address?", Language.EN),
    ("Kakor?", Language.SV),
    # Swedish function words beyond the usual markers ("eller", "var") outweigh a bilingual word ("data").
    ("Var lagras min data, i Sverige eller utomlands?", Language.SV),
    ("Is the data stored in Sweden?", Language.EN),
    ("Cookies?", Language.EN),
])
def test_detect_language(text: str, language: Language) -> None:
    assert detect_language(text) is language


def test_empty_and_symbol_only_text_is_harmless() -> None:
    assert terms("", Language.EN) == []
    assert terms("?!… —", Language.SV) == []
    assert detect_language("") is Language.EN


def test_salutations_are_set_aside() -> None:
    from bot.core.text import strip_salutations

    assert strip_salutations("Hello,\n\nDo you sell my data?\n\nBest regards,\nAnna Svensson") == "Do you sell my data?"
    assert strip_salutations("Hej!\nSäljer ni mina uppgifter?\nMvh Anna") == "Säljer ni mina uppgifter?"
    # A greeting that carries the message stays, and a bare sign-off is never emptied.
    assert strip_salutations("Hej Centiro! Radera mitt konto.\n\nMvh Anna") == "Hej Centiro! Radera mitt konto."
    assert strip_salutations("Thanks") == "Thanks"


def test_asked_sentences_keep_what_a_message_asks() -> None:
    from bot.core.text import asked_sentences

    story = "Hi, I have been a customer since 2019 and love your shoes. How long do you keep my data?"
    assert asked_sentences(story) == "How long do you keep my data?"
    assert asked_sentences("How long do you keep my data?") == "How long do you keep my data?"
    assert asked_sentences("Please tell me how long you keep my data.") == "Please tell me how long you keep my data."
    short = "My account was closed last week. Why?"
    assert asked_sentences(short) == short  # too short to stand alone
    two = "I moved abroad. Do you sell my data? Which countries do you transfer it to?"
    assert asked_sentences(two) == "Do you sell my data? Which countries do you transfer it to?"
    servers = "Which country are your servers in? We're a German company so it matters"
    assert asked_sentences(servers) == "Which country are your servers in?"  # two words say what it asks
    assert asked_sentences("Is that legal? I was never told.") == "Is that legal? I was never told."



def test_a_question_pointing_back_keeps_the_sentence_it_points_at() -> None:
    text = "I get way too many promo emails from you lately. Is there some way to make them stop?"
    assert asked_sentences(text) == text
    dnt = "I've got Do Not Track switched on in Firefox. Does your site actually honour it?"
    assert asked_sentences(dnt) == dnt
    story = "I have been a customer since 2019 and love your shoes. How long do you keep my data?"
    assert asked_sentences(story) == "How long do you keep my data?"


def test_a_swedish_agent_noun_is_not_its_verb() -> None:
    # "säljare" (seller) is not "säljer" (sells): "pratar med era säljare" does not ask whether data is sold.
    assert stem("säljare", Language.SV) != stem("säljer", Language.SV)
    assert stem("användare", Language.SV) == stem("användaren", Language.SV) != stem("använder", Language.SV)


def test_the_last_part_of_a_compound_may_be_inflected() -> None:
    assert compound_parts("kortbetalningarna") == ("kort", "betalningarna")
    # An inflected known part is not a compound of shorter ones: "webbplatsen" is no "webb" + "platsen".
    assert compound_parts("webbplatsen") == ()
    assert compound_parts("personuppgifter") == ("person", "uppgifter")


def test_who_asks_is_no_part_of_the_question() -> None:
    assert asked_sentences("Our legal team wants to know whether our data is ever moved outside Europe.") == \
        "our data is ever moved outside Europe."
    assert asked_sentences("Hi! I have a question. I wonder if you sell my data?") == "you sell my data?"
    assert asked_sentences("Jag undrar om ni säljer mina uppgifter? Tack.") == "ni säljer mina uppgifter?"


@pytest.mark.parametrize(("british", "american"), [
    ("organisation", "organization"), ("analysed", "analyzed"), ("behaviour", "behavior"), ("honour", "honor"),
    ("personalised", "personalized"), ("licence", "license"), ("centre", "center"),
])
def test_british_and_american_spellings_share_a_stem(british: str, american: str) -> None:
    assert stem(british, Language.EN) == stem(american, Language.EN)
