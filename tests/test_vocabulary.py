"""The privacy vocabulary: how people word a question, matched without collisions between stems."""

from __future__ import annotations

import pytest

from bot.core.vocabulary import Vocabulary

VOCABULARY = Vocabulary()


@pytest.mark.parametrize(("question", "not_asked"), [
    # "application" shares its stem with "applicant": a software application is not a job application.
    ("Does the application phone home about my usage?", "applicants"),
    # "information" shares its stem with "inform": asking about information is not asking to be notified.
    ("Who do you share information with?", "notify"),
    # Swedish "dator" and "data" share a stem: data is not a computer.
    ("Do you sell any of my data?", "computer"),
])
def test_a_shared_stem_is_not_a_topic(question: str, not_asked: str) -> None:
    assert not_asked not in VOCABULARY.asked(question)


@pytest.mark.parametrize(("question", "asked"), [
    ("I sent you a job application last year. Do you still have it?", "applicants"),
    ("Will you inform me if the policy changes?", "notify"),
    ("Vilken information sparar ni om mina datorer?", "computer"),
])
def test_the_longer_forms_still_ask(question: str, asked: str) -> None:
    assert asked in VOCABULARY.asked(question)
