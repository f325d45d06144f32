"""What a passage offers to quote: its sentences, less those that only list the questions a policy answers."""

from __future__ import annotations

from bot.core.answers import view
from bot.core.models import Language, Passage
from bot.core.vocabulary import Vocabulary

VOCABULARY = Vocabulary()


def _quotable(text: str) -> list[str]:
    passage = Passage("p:1", "p", "Intro", text, 0, len(text))
    return [text[s.start:s.end] for s in view(passage, Language.EN, VOCABULARY).sentences]


def test_a_sentence_listing_the_questions_answered_is_no_answer() -> None:
    toc = ("This Privacy Statement answers the following questions: What information does Example gather about "
           "you- How does Example use your personal information- What kind of security measures do we take- "
           "How can you correct information that we have about you?")
    assert _quotable(toc + " We protect your data with SSL encryption.") == [
        "We protect your data with SSL encryption."]
    headings = "What Information Does Example.com Gather? What About Cookies? How Secure Is Information About Me?"
    assert _quotable(headings) == []


def test_list_items_opening_with_when_or_where_are_kept() -> None:
    items = ("We may disclose information:\nwhen we have a good faith belief that we are required to by law,\n"
             "where we believe our services are used in the commission of a crime,\n"
             "when there is an emergency that poses a threat to your safety.")
    assert len(" ".join(_quotable(items))) > 150
    assert _quotable("If you have questions about what we collect - write to us.") != []
