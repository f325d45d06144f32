"""The privacy vocabulary: how people word a question, matched without collisions between stems."""

from __future__ import annotations

import pytest

from bot.core.coverage import Question, context
from bot.core.models import Language
from bot.core.text import stem, terms
from bot.core.vocabulary import Vocabulary

VOCABULARY = Vocabulary()


@pytest.mark.parametrize(("question", "not_asked"), [
    # "application" shares its stem with "applicant": a software application is not a job application.
    ("Does the application phone home about my usage?", "applicants"),
    # "information" shares its stem with "inform": asking about information is not asking to be notified.
    ("Who do you share information with?", "notify"),
    # Swedish "dator" and "data" share a stem: data is not a computer.
    ("Do you sell any of my data?", "computer"),
    # "my phone" is the asker's device, not a way to reach the organisation.
    ("will it invade any private info on my phone?", "contact"),
    # Where someone is ("location") is not where an office is placed ("located").
    ("does the app use location and track my movements?", "postal"),
])
def test_a_shared_stem_is_not_a_topic(question: str, not_asked: str) -> None:
    assert not_asked not in VOCABULARY.asked(question)


@pytest.mark.parametrize(("question", "asked"), [
    ("I sent you a job application last year. Do you still have it?", "applicants"),
    ("Will you inform me if the policy changes?", "notify"),
    ("Vilken information sparar ni om mina datorer?", "computer"),
    ("Can I reach you by phone?", "contact"),
    ("Where is Centra located?", "postal"),
])
def test_the_longer_forms_still_ask(question: str, asked: str) -> None:
    assert asked in VOCABULARY.asked(question)


# What app users ask, in their words (most from PrivacyQA's training questions), and the topic that must answer.
@pytest.mark.parametrize(("question", "topic"), [
    ("who else can see my data.", "visibility"),
    ("who can access my photos?", "visibility"),
    ("who will have access to my data?", "visibility"),
    ("Can I see my data?", "access"),  # one's own data: the access right
    ("I want access to my data", "access"),
    ("what sort of data do you collect?", "collection"),
    ("who is getting all of this info?", "sharing"),
    ("does the app require an account?", "account_required"),
    ("do i need to register an account?", "account_required"),
    ("does it require any sort of login?", "account_required"),
    ("Måste jag ha ett konto?", "account_required"),
    # Being hacked as a risk asks how data is secured; as an event it is a breach.
    ("could this app be hacked into?", "security"),
    ("fear of being hacked", "security"),
    ("if you ever get hacked, will you tell me?", "breach"),
    ("has this system ever been hacked in the past?", "breach"),
    # Words that name another topic only inside a phrase.
    ("does the developer sell data acquired from it users", "sale"),
    ("what sort of encryption is used to protect my data from breaches?", "security"),
    ("will the atlantic store my information on secure servers?", "security"),
    ("Which country are your servers in?", "location"),
    ("does my information get sold?", "sale"),
    ("What happens to my data if the company gets sold?", "merger"),
    ("does it call home?", "tracking"),
    ("is the information about where i go stored?", "geolocation"),
    ("does the app use location and track my movements?", "geolocation"),
    ("what tools are available for the user to control their own privacy?", "objection"),
])
def test_the_topic_asked(question: str, topic: str) -> None:
    assert VOCABULARY.focus(VOCABULARY.asked(question)) == {topic}


def test_having_to_sign_in_asks_whether_an_account_is_needed() -> None:
    assert "account_required" in VOCABULARY.focus(VOCABULARY.asked("do i have to sign in to read articles?"))
    social = VOCABULARY.focus(VOCABULARY.asked("will it require me to sign-in using a social media account?"))
    assert "integrations" in social
    assert "account_required" in VOCABULARY.said("You can browse the site without registering.")


def test_being_located_somewhere_is_no_geolocation() -> None:
    assert stem("location", Language.EN) != stem("located", Language.EN)
    assert "geolocation" not in VOCABULARY.said("If you are located outside the United States, your data moves.")
    assert "geolocation" in VOCABULARY.said("We collect your location when you use the app.")
    assert "geolocation" in VOCABULARY.said("Locations you check in at are stored.")


def test_ads_appearing_are_ads_shown() -> None:
    assert "word_show" in VOCABULARY.said("The ads appearing on this web site are delivered to you")


def test_two_topics_asked_by_their_own_words_are_asked_apart() -> None:
    # "private" asks who sees it, "shared" who is given it: sharing's longer phrase "get my information" and
    # visibility's "can see my information" share words, but neither asked this question.
    text = "fear my private information will get shared"
    asked_words = VOCABULARY.asked_words(text)
    asked = frozenset(asked_words)
    focus = VOCABULARY.focus(asked)
    assert focus == {"sharing", "visibility"}
    question = Question(text, Language.EN, asked, focus, tuple(terms(text, Language.EN)),
                        asked_words=asked_words)
    ctx = context(question, VOCABULARY, lambda term: 1.0, lambda term: True, lambda word: True)
    assert ctx.separate
    assert asked_words["visibility"] == {"privat"}


def test_what_a_policy_says_of_children_answers_broad_questions_only_when_children_are_asked() -> None:
    said = VOCABULARY.said_counts("We do not knowingly collect personal information from children under 13.")
    assert not VOCABULARY.addresses(said, "collection", VOCABULARY.asked("What data do you collect?"))
    assert VOCABULARY.addresses(said, "collection", VOCABULARY.asked("What data do you collect about my kids?"))
