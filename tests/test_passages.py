"""Passages follow each policy's own structure, are exact slices of it, and stay small; sentence spans."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.knowledge_files import load_policies
from bot.config import EMBEDDED_KNOWLEDGE
from bot.core.models import Passage, Policy
from bot.core.passages import MAX_CHARS, sentences, split_policy, split_text

POLICIES = load_policies(EMBEDDED_KNOWLEDGE)
ID = re.compile(r"^[a-z0-9-]+:[a-z0-9-]+:\d+$")


def passages_of(org: str) -> list[Passage]:
    return split_policy(POLICIES[org])


def by_section(org: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    for passage in passages_of(org):
        sections.setdefault(passage.section, []).append(passage.text)
    return sections


def find(org: str, words: str) -> Passage:
    hits = [p for p in passages_of(org) if words in p.text]
    assert len(hits) == 1, f"{words!r} in {len(hits)} passages of {org}"
    return hits[0]


@pytest.mark.parametrize("org", sorted(POLICIES))
def test_every_passage_is_an_exact_small_stripped_slice_with_a_stable_id(org: str) -> None:
    policy = POLICIES[org]
    passages = split_policy(policy)
    assert len(passages) >= 10
    for passage in passages:
        assert passage.text == policy.text[passage.start:passage.end]
        assert passage.text == passage.text.strip() and passage.text
        assert len(passage.text) <= MAX_CHARS
        assert len(passage.text) < len(policy.text.strip()) / 3, "no passage is (most of) the whole policy"
        assert ID.match(passage.id) and passage.id.startswith(f"{org}:") and passage.org == org
        assert passage.section
        assert passage.text not in ("<ins>", "</ins>", "\\#nospam")
    assert len({p.id for p in passages}) == len(passages)
    starts = [p.start for p in passages]
    assert starts == sorted(starts) and all(a.end <= b.start for a, b in itertools.pairwise(passages))
    assert [p.id for p in split_policy(policy)] == [p.id for p in passages]  # deterministic


@pytest.mark.parametrize("org", sorted(POLICIES))
def test_no_words_of_the_policy_are_lost_except_headings_and_the_table_of_contents(org: str) -> None:
    policy = POLICIES[org]
    passages = split_policy(policy)
    covered = "\n".join(policy.text[p.start:p.end] for p in passages)
    words = set(re.findall(r"\w{4,}", policy.text))
    lost = words - set(re.findall(r"\w{4,}", covered))
    title_lines = [line.strip() for line in policy.text.splitlines()
                   if len(line.strip()) <= 80 and not line.strip().endswith(".")]
    # Only heading, table-of-contents and markup lines may be left out of the passages.
    assert all(any(word in line for line in title_lines) for word in lost), lost


def test_infentre_question_headings_become_sections() -> None:
    sections = by_section("infentre")
    keep = sections["How long do you keep my information?"]
    assert keep == ["We erase information about how you use our platform on an ongoing basis. We keep this "
                    "information no longer than 3 years.\nWe will erase your information immediately after "
                    "you cancel your Infentre account."]
    assert sections["Which rights do I have?"][0] == ("Access: You can request a copy of the information that "
                                                      "we hold about you.")
    assert len(sections["Which rights do I have?"]) == 6  # one passage per right
    assert find("infentre", "Google Cloud Platform").section == \
        "With whom do you share my information? › Technical service providers"
    assert find("infentre", "Google Analytics").section == \
        "With whom do you share my information? › Marketing service providers"
    assert find("infentre", "under regular review").section == "Changes to this policy"
    assert find("infentre", "Google Cloud Platform").text.startswith("Google Cloud Platform")  # no bullet
    assert find("infentre", "Malmskillnadsgatan").section == "How to contact us"


def test_i_centrum_table_of_contents_is_not_a_passage_and_numbered_headings_are_sections() -> None:
    passages = passages_of("i-centrum")
    assert not any(p.text.startswith(("When does the Privacy Statement apply", "Your rights")) for p in passages)
    assert not any(re.match(r"^\d+\.", p.section) for p in passages)
    assert find("i-centrum", "we process personal data about").section == \
        "Personal Data – Whose data does i-Centrum process?"
    assert find("i-centrum", "opt-out of receiving marketing").section == "Your rights"
    assert find("i-centrum", "as long as necessary for the stated purpose").section == \
        "For how long do we store your personal data?"
    assert find("i-centrum", "Process a job application.").text == "Process a job application."
    assert find("i-centrum", "Cookies are a simple technology").section == \
        "Your personal data and how we collect it › Cookies"
    assert find("i-centrum", "Process a job application.").section == \
        "Why we process your personal data › Customer contacts and software users"
    assert find("i-centrum", "Process a job application.").id == "i-centrum:customer-contacts-and-software-users:14"
    assert find("i-centrum", "We collect IP-address").section == "What type of personal data is collected?"


def test_centiro_short_swedish_titles_and_unmarked_list_items() -> None:
    sections = by_section("centiro")
    assert "Personlig information som vi samlar in" in sections
    assert sections["Kontakt"][0].startswith("Skicka gärna dina kommentarer")
    assert "Centiro Solutions AB\nBox 950\n501 10 Borås" in sections["Kontakt"]
    use = sections["Användning av personlig information"]
    assert "Försäkra oss om att vår webbplats uppfyller dina behov" in use  # a list item, not a heading
    assert "Kunna ge dig tillgång till webbplatsinnehåll med begränsad åtkomst" in use
    assert find("centiro", "polis").section == "Användning av personlig information"
    assert find("centiro", "tredjepart").section == "Kontroll av din personliga information"
    assert passages_of("centiro")[0].section == "Centiro"  # the cookie banner precedes every heading


def test_icentrex_without_blank_lines_splits_by_line() -> None:
    passages = passages_of("icentrex")
    assert len(passages) >= 18
    assert all(p.section == "iCentrex" for p in passages)
    assert find("icentrex", "Karl Månsson").text == ("iCentrex Sweden AB\nKarl Månsson, Rosenborgsgatan 12, "
                                                     "169 74 Solna\nUpdated 2019-07-01")
    assert find("icentrex", "not directed to children").text.startswith("iCentrex is not directed")


def test_centra_skips_markup_and_keeps_its_closing_address_as_text() -> None:
    passages = passages_of("centra")
    assert [p.text for p in passages[:2]] == ["Updated: Sep 1st 2020", "Valid from: Sep 10th 2020"]
    assert passages[-1].text == "Centra, Humlegårdsgatan 22, 114 46 Stockholm, Sweden"
    assert find("centra", "never ever sell").section == "Centra"


def test_one_sentence_per_line_text_splits_into_small_passages() -> None:
    lines = []
    for n in range(40):
        lines.append(f"  Paragraph {n} starts here and talks about topic number {n} in some detail.")
        lines.append(f"It continues with a second sentence about retention of item {n}.")
        lines.append("It ends with a third, rather short one.")
    text = "\n".join(lines) + "\n"
    passages = split_text(text, org="x", default_section="X")
    assert len(passages) >= 100
    assert all(p.text.count("\n") <= 2 and len(p.text) <= 200 for p in passages)
    assert all(text[p.start:p.end] == p.text for p in passages)


def test_a_long_paragraph_is_cut_at_sentence_boundaries() -> None:
    sentence = "We may share your information with carefully selected partners for analytics, e.g. Google Inc. "
    text = "Sharing\n\n" + (sentence * 30).strip() + "\n\nThe end is near.\n"
    passages = split_text(text, org="x", default_section="X")
    long_ones = [p for p in passages if p.section == "Sharing" and p.text != "The end is near."]
    assert len(long_ones) >= 3
    assert all(len(p.text) <= MAX_CHARS and p.text.endswith("Inc.") and p.text.startswith("We may") for p in long_ones)
    assert max(len(p.text) for p in long_ones) - min(len(p.text) for p in long_ones) <= len(sentence) + 1


def test_a_single_overlong_sentence_is_still_cut() -> None:
    text = "Data\n\n" + ", ".join(f"item {n}" for n in range(400)) + "\n"
    passages = split_text(text, org="x", default_section="X")
    assert len(passages) >= 3 and all(len(p.text) <= MAX_CHARS for p in passages)
    assert all(text[p.start:p.end] == p.text for p in passages)


def test_markdown_headings_numbered_lists_and_a_generic_table_of_contents() -> None:
    text = ("# Acme privacy policy\n\n"
            "1. Data we collect\n2. Cookies\n3. Your rights\n\n"
            "1. Data we collect\n\nWe collect the following:\n\n"
            "1. Your name.\n2. Your e-mail address.\n\n"
            "## Cookies\n\nWe use cookies for sessions.\n\n"
            "3. Your rights\n\nYou may ask for a copy of your data.\n")
    passages = split_text(text, org="acme", default_section="Acme")
    assert [(p.section, p.text) for p in passages] == [
        ("Data we collect", "We collect the following:"),
        ("Data we collect", "Your name."),
        ("Data we collect", "Your e-mail address."),
        ("Cookies", "We use cookies for sessions."),
        ("Your rights", "You may ask for a copy of your data."),
    ]
    assert [p.id for p in passages][:2] == ["acme:data-we-collect:1", "acme:data-we-collect:2"]


def test_bullets_with_continuation_lines_stay_one_item() -> None:
    text = "We use:\n\n- cookies for\n  remembering you\n- logs.\n\nLater text.\n"
    texts = [p.text for p in split_text(text, org="x", default_section="X")]
    assert texts == ["We use:", "cookies for\n  remembering you", "logs.", "Later text."]


def test_empty_and_markup_only_texts_give_no_passages() -> None:
    assert split_text("", org="x", default_section="X") == []
    assert split_text("<ins>\n</ins>\n \n---\n", org="x", default_section="X") == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .:?\n•-1#Åä\u00a0")) | st.characters(), max_size=3000))
def test_any_text_splits_into_exact_bounded_slices(text: str) -> None:
    policy_passages = split_text(text, org="x", default_section="X")
    for passage in policy_passages:
        assert text[passage.start:passage.end] == passage.text and passage.text.strip() == passage.text
        assert 0 < len(passage.text) <= MAX_CHARS
    for start, end in sentences(text):
        assert 0 <= start < end <= len(text) and text[start:end].strip() == text[start:end]


SENTENCE_CASES = [
    ("We keep data. We delete it later.", ["We keep data.", "We delete it later."]),
    ("We use tools, e.g. Google Analytics. They count visits.", ["We use tools, e.g. Google Analytics.",
                                                                "They count visits."]),
    ("Fiverr Inc. (a US company) hosts it. Fine.", ["Fiverr Inc. (a US company) hosts it.", "Fine."]),
    ("Contact Centiro Solutions AB. We answer.", ["Contact Centiro Solutions AB.", "We answer."]),
    ("Visit www.aboutcookies.org or https://x.com/a.b. Then leave.", ["Visit www.aboutcookies.org or "
                                                                     "https://x.com/a.b.", "Then leave."]),
    ("  1. Your rights\nYou may object.", ["Your rights", "You may object."]),
    ("• Item one\n- Item two\nHeading without stop\nText.", ["Item one", "Item two", "Heading without stop",
                                                             "Text."]),
    ("Vi sparar t.ex. namn. Du kan bl.a. be om utdrag.", ["Vi sparar t.ex. namn.", "Du kan bl.a. be om utdrag."]),
    ("A line that wraps\nonto the next line. Next!", ["A line that wraps\nonto the next line.", "Next!"]),
    ("Is it kept? Yes, for 3 years.", ["Is it kept?", "Yes, for 3 years."]),
    ("Updated in 2019. New rules apply.", ["Updated in 2019.", "New rules apply."]),
    ("your genotypes (i.e.\nthe letters). Next.", ["your genotypes (i.e.\nthe letters).", "Next."]),
    ("Free mail (like Gmail or Yahoo! Mail) we may share. Yes.", ["Free mail (like Gmail or Yahoo! Mail) we may "
                                                                 "share.", "Yes."]),
    ("(See below.) Then go. A) foo. B) bar.", ["(See below.)", "Then go.", "A) foo.", "B) bar."]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCE_CASES)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text)] == expected


def test_sentences_of_a_real_passage_find_the_answering_sentence() -> None:
    passage = find("infentre", "no longer than 3 years")
    spans = sentences(passage.text)
    assert "We keep this information no longer than 3 years." in [passage.text[s:e] for s, e in spans]


def test_split_policy_uses_the_policy_name_before_any_heading() -> None:
    policy = Policy(meta=POLICIES["centra"].meta, text="Plain words only, no title here at all.")
    [passage] = split_policy(policy)
    assert passage.section == "Centra" and passage.id == "centra:centra:1"


def test_numbered_lines_with_nothing_between_them_are_a_list_not_headings() -> None:
    text = ("Steps\n\n1. Open the app\n\n2. Tap settings\n\n3. Delete account\n\n"
            "That is all.\n\n4. Rights\n\nYou may ask.\n")
    assert [(p.section, p.text) for p in split_text(text, org="x", default_section="X")] == [
        ("Steps", "Open the app"), ("Steps", "Tap settings"), ("Steps", "Delete account"),
        ("Steps", "That is all."), ("Rights", "You may ask.")]


@pytest.mark.parametrize("text", [
    "Word. " * 100_000,                       # one huge line of sentences
    "x" * 1_000_000,                          # one huge word
    "# " + " " * 100_000 + "x\n\nText.\n",    # a hostile markdown heading
    "short line\n" * 20_000,                  # many short lines without punctuation
    "A title\n\nSome text here.\n\n" * 10_000,
])
def test_huge_or_hostile_texts_split_in_linear_time(text: str) -> None:
    import time

    started = time.perf_counter()
    passages = split_text(text, org="x", default_section="X")
    assert time.perf_counter() - started < 5
    assert passages and all(len(p.text) <= MAX_CHARS and text[p.start:p.end] == p.text for p in passages)


def test_sub_headings_keep_their_parent_but_mixed_or_separate_sections_do_not_nest() -> None:
    text = ("## Sharing\n\nWe share little.\n\n### Vendors\n\nStripe takes payments.\n\n"
            "Partners\n\nNobody else.\n\n## Cookies\n\nWe use some.\n\n"
            "What do you keep?\n\nVery little.\n\nContact\n\nWrite to us.\n\n1. Rights\n\nYou have rights.\n")
    sections = [p.section for p in split_text(text, org="x", default_section="X")]
    assert sections == ["Sharing", "Sharing › Vendors", "Vendors › Partners", "Cookies",
                        "Cookies › What do you keep?", "Cookies › Contact", "Rights"]
