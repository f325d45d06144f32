"""How much of a question a text covers, and whether a word the policy never uses leaves it unanswered."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from bot.core.models import Language
from bot.core.text import STOP_WORDS, stem, terms, words
from bot.core.vocabulary import Vocabulary

# Words that carry a question rather than its topic; a policy not using them says nothing.
FILLER = frozenset(
    terms("happen happens happened anything something everything anyone someone people person thing things "
          "stuff way ways know tell wonder wondering question questions like get gets got make need needs want "
          "wants possible able allowed ok okay really actually exactly just also ever still currently "
          "mean means kind sort lot much many take takes taken see seen put go goes come let anywhere stop start "
          "become being "
          "somewhere hello hi hey dear regards br best thanks thank cheers sincerely "
          "yours please one year years last ago month months week weeks day days today yesterday recently "
          # what is left of a contraction once the apostrophe splits it ("haven't" -> "haven", "t")
          "haven hasn hadn didn doesn don isn aren wasn weren won wouldn couldn shouldn ain "
          "besides except apart run runs running do does doing done mine end ends ended went gone going "
          "made took came guy guys first asking look looks looking quick quickly back forth sure "
          "seem seems seemed special different differently suddenly sudden lately again always sometimes "
          "usually every",
          Language.EN)
    + terms("hända händer händer något någonting allt folk sak saker sätt veta undrar fråga frågor behöver "
            "vill möjligt kunna få måste borde bör behövs sluta slutar börja verkligen egentligen hej hallå mvh "
            "vänliga hälsningar kommer komma finns fanns typ liksom ens redan ännu fortfarande inne "
            "hälsning tack hos",
            Language.SV))


@dataclass(frozen=True, slots=True)
class Question:
    """A question analysed once: its topics and its terms in the policy's language."""

    text: str
    language: Language
    asked: frozenset[str]  # vocabulary concepts the wording asks about
    focus: frozenset[str]  # the most specific of them: what an answer must address
    terms: tuple[str, ...]  # content terms, stemmed in the policy's language
    stems: frozenset[str] = frozenset()  # every word stemmed in the policy's language (title similarity)
    language_matches: bool = True  # asked in the policy's language (else its stems cannot be looked up)
    # Asked in another language: (word, stem in the question's language) of its content words, checked
    # against the policy's own words (loan words like "cookies") and the topics explained.
    # (word, its stems in the question's language incl. compound parts, its stem in the policy's language)
    foreign: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    organisation: frozenset[str] = frozenset()  # the terms of the organisation's own names (no answer's names)
    # Each topic asked, with the stems of the phrases that ask it ("who is getting my info": sharing by
    # "getting my info"), not every word of every phrase the topic has.
    asked_words: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    """What scoring one question needs, computed once per question rather than once per sentence."""

    weights: dict[str, float]  # IDF of each question term
    total: float
    unknown: frozenset[str]  # terms (or foreign words) the policy never uses, fillers aside
    explained: dict[frozenset[str], frozenset[str]]  # topics -> question words they explain (memo)
    anchor: float = math.inf  # IDF from which a question term is rare in the policy (a precise match)
    content: int = 0  # the question's content words, fillers aside
    # Unknown term (or foreign word) -> the known question word right before it: "newsletter platform",
    # "marketing agencies", "data center" name a thing the known word says, in a word the policy lacks.
    qualified: dict[str, str] = field(default_factory=dict)
    # The question's topics are asked by words of their own ("contact" ... "rights"), not all by one word
    # ("recordings" is both collection and storage).
    separate: bool = False
    # Unknown words right after "what" / "which" ("what safeguards", "vilka certifieringar"): the thing asked
    # for. A policy never naming it cannot answer, however well it meets the rest.
    heads: frozenset[str] = frozenset()
    asks_name: bool = False  # "what's the name of ...": the answer must name someone
    asks_number: bool = False  # "is there a phone number": the answer must give one


# A word the policy never uses is one word of the question among others: it says the policy is silent
# when it carries the question, not when the rest of the question meets a rare word of the policy.
MAX_UNKNOWN_SHARE = 1 / 3
MIN_WORDS_TO_FORGIVE = 3
ANCHOR_SHARE = 0.05  # a question term used in at most this share of the passages pins the answer down


def context(question: Question, vocabulary: Vocabulary, idf: Callable[[str], float],
             known: Callable[[str], bool], known_word: Callable[[str], bool]) -> Context:
    weights = {t: idf(t) for t in question.terms}
    if question.language_matches:
        unknown = frozenset(t for t in question.terms if t not in FILLER and not known(t))
        content = sum(1 for t in question.terms if t not in FILLER)
    else:
        unknown = frozenset(word for word, alternatives, _ in question.foreign
                            if not known_word(word) and not _met(alternatives, lambda a: a in FILLER or known(a)))
        content = sum(1 for _, alternatives, _ in question.foreign if not any(a in FILLER for a in alternatives))
    return Context(weights, sum(weights.values()), unknown, {}, _anchor(idf), content,
                   _qualified(question, unknown, weights), _separate(question),
                   _heads(question, unknown), _ASKS_NAME.search(question.text) is not None,
                   _ASKS_NUMBER.search(question.text) is not None)


def _met(alternatives: tuple[str, ...], test: Callable[[str], bool]) -> bool:
    """Whether a foreign word passes ``test``: its own stem does, or a part of the compound does
    ("frukost" + "seminarium" is a seminar); when the compound ends in a word for any data, all of its parts
    must ("löne" + "uppgifter" is not any data)."""
    if test(alternatives[0]):
        return True
    parts = alternatives[1:]
    if parts and parts[-1] in _ANY_DATA:
        return all(test(a) for a in parts)
    return any(test(a) for a in parts)


_ANY_DATA = frozenset(terms("uppgift uppgifter information info data detaljer", Language.SV))


def _separate(question: Question) -> bool:
    """Whether each topic of the question's focus is asked by words no other of them is asked by."""
    if len(question.focus) < 2 or not question.language_matches:
        return False
    own = set(question.terms)
    seen: set[str] = set()
    for concept in question.focus:
        words_of = question.asked_words.get(concept, frozenset()) & own
        if not words_of or not seen.isdisjoint(words_of):
            return False
        seen |= words_of
    return True


def _qualified(question: Question, unknown: frozenset[str], weights: Mapping[str, float]) -> dict[str, str]:
    """Unknown words closing a two-word phrase that a determiner, preposition or question word opens and a
    known word of the question begins ("to marketing agencies", "which newsletter platform"): the known
    word says what is meant. Never a modifier ("voice recordings": "voice" is the point) nor a verb's
    object ("do you store passports")."""
    if not unknown:
        return {}
    out: dict[str, str] = {}
    seq = words(question.text)
    keys: list[str | None] = []
    for word in seq:
        content = word not in STOP_WORDS and len(word) > 1
        keys.append((stem(word, question.language) if question.language_matches else word) if content else None)
    for i in range(2, len(seq)):
        key, before = keys[i], keys[i - 1]
        if key is None or key not in unknown or before is None or before in unknown or before in FILLER:
            continue
        if question.language_matches and before not in weights:
            continue  # the organisation's name
        closes = i + 1 == len(seq) or keys[i + 1] is None
        if closes and seq[i - 2] in _OPENERS:
            out.setdefault(key, before)
    return out


# "What's the name of your DPO?", "vad heter ert dataskyddsombud?": the answer must name someone or something.
_ASKS_NAME = re.compile(r"\b(?:names? of|(?:their|his|her|its) name|what'?s? (?:the |their |your )?name|"
                        r"vad heter|namnet på|namn på)\b", re.IGNORECASE)
# "Is there a phone number for your privacy team?": the answer must give one ("my phone number" is data).
_ASKS_NUMBER = re.compile(r"(?<!\bmy )(?<!\bmitt )\b(?:(?:phone|telephone) number|number (?:i can|to) call|"
                          r"call you on|telefonnummer|vilket nummer|numret till)\b", re.IGNORECASE)


def _heads(question: Question, unknown: frozenset[str]) -> frozenset[str]:
    """Unknown words the question asks for by name: the word right after "what" or "which", and a name
    naming the kind of thing asked about ("the Facebook pixel", "LinkedIn ad pixels"): a policy never naming
    it says nothing about it. A name around the question ("DNT is on in Firefox") is no such word."""
    if not unknown:
        return frozenset()

    def key(word: str) -> str:
        return stem(word, question.language) if question.language_matches else word

    seq = [w for w in words(question.text) if w != "s"]  # "what's" -> "what", "s"
    out = {key(word) for before, word in pairwise(seq) if before in _ASKING_FOR and key(word) in unknown}
    for name in _NAME.finditer(question.text):
        following = words(question.text[name.end():name.end() + 40])[:1]
        if following and following[0] not in STOP_WORDS and key(following[0]) not in unknown:
            out.update(k for w in words(name.group(0)) if (k := key(w)) in unknown)
    return frozenset(out)


_NAME = re.compile(r"(?<=[\w,] )[A-ZÅÄÖ][\w-]*[a-zåäö][\w-]*(?= [\w-])")

_ASKING_FOR = frozenset(["what", "which", "vilken", "vilket", "vilka"])
_OPENERS = frozenset(words("which what whose the a an my your our their his her its this that these those any some "
                           "to for of with from about in on at by into "
                           "vilken vilket vilka vad min mitt mina din ditt dina er ert era vår vårt våra den det de "
                           "en ett till för av med från om i på hos"))


def _anchor(idf: Callable[[str], float]) -> float:
    """The IDF from which a term is rare: used by at most ANCHOR_SHARE of the passages (at least one)."""
    size = math.exp(idf("")) - 1  # a term no passage uses: log(size + 1)
    return idf("") - math.log(max(1.0, round(ANCHOR_SHARE * size))) - 1e-9


def _forgiven(ctx: Context, unknown: int, pinned: bool, head: bool) -> bool:
    """Words the policy never uses that nothing explains are forgiven when they are few and the text is
    pinned to the question: it meets a rare word of it ("Google" in "which Google products do you use"), or
    answers a specific topic it asks ("secure connections" / "krypterade protokoll"); never the thing asked
    for by name (``head``)."""
    return (pinned and not head and ctx.content >= MIN_WORDS_TO_FORGIVE
            and unknown <= MAX_UNKNOWN_SHARE * ctx.content)


class Coverage(NamedTuple):
    share: float  # the IDF-weighted share of the question's terms the text covers (fillers it lacks aside)
    unexplained: bool  # a term the whole policy never uses is left unexplained (and not forgiven)
    anchored: bool  # the text has a word of the question that is rare in the policy
    head: bool  # what the question asks for by name ("what safeguards") is a word the policy never uses
    fillers_met: bool = True  # no word carrying the question ("end", "questions") was set aside


def coverage_of(question: Question, covered: frozenset[str], said: frozenset[str], vocabulary: Vocabulary,
                ctx: Context, *, answers_topic: bool = False) -> Coverage:
    """How much of the question the text covers, itself or through a concept it addresses (see ``Coverage``);
    when what the question asks for by name is a word the policy never uses, no text of it answers."""
    if not question.terms and not question.foreign:
        return Coverage(0.0, False, False, False)
    topics = question.asked & said
    explained = ctx.explained.get(topics)
    if explained is None:
        explained = frozenset().union(*(vocabulary.ask_terms(c) for c in topics))
        ctx.explained[topics] = explained
    if not question.language_matches:
        # Asked in the other language: only topics explain its words, and loan words ("Google") match.
        hits = 0
        missing = 0
        headed = 0
        anchored = False
        head = False
        met: set[str] = set()
        for word, alternatives, policy_stem in question.foreign:
            if policy_stem in covered:
                hits += 1
                met.add(word)
                anchored = anchored or (ctx.weights.get(policy_stem, 0.0) >= ctx.anchor
                                        and not vocabulary.common(policy_stem))
            elif _met(alternatives, explained.__contains__):
                hits += 1
                met.add(word)
            elif ctx.qualified.get(word) in met:
                headed += 1  # the words come in the question's order: the known one before is met first
            elif word in ctx.unknown:
                missing += 1
                head = head or word in ctx.heads
        unexplained = missing > 0 and not _forgiven(ctx, missing, anchored or answers_topic, head)
        size = len(question.foreign) - headed
        return Coverage((hits / size if size > 0 else 0.0), unexplained, anchored, head)
    got = 0.0
    total = ctx.total
    missing = 0
    missed = 0.0
    anchored = False
    head = False
    fillers_met = True
    for term, weight in ctx.weights.items():
        if term in covered:
            got += weight
            anchored = anchored or (weight >= ctx.anchor and term not in FILLER and not vocabulary.common(term))
        elif term in explained:
            got += weight
        elif term in FILLER:
            total -= weight  # a word carrying the question ("questions", "one of") counts only where it is met
            fillers_met = False
        elif term in ctx.unknown:
            before = ctx.qualified.get(term)
            if before is not None and (before in covered or before in explained):
                # The head of a phrase the text names by its known word weighs nothing either way.
                total -= weight
                continue
            missing += 1
            missed += weight
            head = head or term in ctx.heads
    if missing and _forgiven(ctx, missing, anchored or answers_topic, head):
        # Forgiven words are incidental to the question: they weigh nothing either way.
        total -= missed
        return Coverage((got / total if total > 0 else 0.0), False, anchored, head, fillers_met)
    return Coverage((got / total if total > 0 else 0.0), missing > 0, anchored, head, fillers_met)


def idf_of(df: Callable[[str], int], size: int) -> Callable[[str], float]:
    """IDF (BM25Plus form, always positive) for weighting a question's words; unseen words weigh most."""
    return lambda term: math.log((size + 1) / max(df(term), 1))
