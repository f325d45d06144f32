"""Pick the answering sentences inside retrieved passages, or decide honestly that the policy is silent."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.concepts import GENERIC
from bot.core.contact_topics import PHONE_INTERNATIONAL
from bot.core.coverage import Context, context, coverage_of
from bot.core.coverage import Question as Question  # re-exported: the Assistant imports it from here
from bot.core.coverage import idf_of as idf_of  # re-exported
from bot.core.models import Citation, Language, Passage
from bot.core.retrieval import Hit
from bot.core.sentences import sentences
from bot.core.text import stems, terms
from bot.core.vocabulary import Vocabulary

MAX_CITATIONS = 3
# Share of the question's (IDF-weighted) words an answer must cover when no specific topic decides it.
COVERAGE_GENERIC = 0.34
COVERAGE_NONE = 0.5
COVERAGE_STRONG = 0.6
COVERAGE_ANCHORED = 0.4
COVERAGE_COMPLETE = 0.99  # every word of the question
ANCHOR_BONUS = 3.0  # the sentence has the question's rare word ("Sendgrid"): it speaks of what is asked
LIST_BONUS = 0.5  # a sentence introducing the list that answers ("The purposes ... are:")
OWN_WORDS = 1.0  # choosing the quote inside a passage: the sentence writes the question's words itself
DANGLING = 1.0  # ... but quoted without its list (it runs past the citation), it says little


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # offsets into the passage text
    end: int
    terms: frozenset[str]
    said: frozenset[str]
    forms: Mapping[str, int]  # concept -> how many distinct policy phrasings of it the sentence uses
    refers: bool = False  # opens with "This information", "Det", ...: it speaks of the sentence before


@dataclass(frozen=True, slots=True)
class PassageView:
    """What answering needs of a passage, computed once per passage."""

    passage: Passage
    title_terms: frozenset[str]
    title_stems: frozenset[str]  # every word of the title, stop words too: for question-title similarity
    title_forms: Mapping[str, int]
    context_said: frozenset[str]  # concepts of the whole cited text (a short passage with what follows)
    context_terms: frozenset[str]  # terms of the whole cited text
    sentences: tuple[Sentence, ...]
    extends: bool = False  # the cited text runs on past the passage (the list after its introduction)


def view(passage: Passage, language: Language, vocabulary: Vocabulary, cited: str = "") -> PassageView:
    spans = _answers(passage.text, sentences(passage.text) or [(0, len(passage.text))])
    out: list[Sentence] = []
    for s, e in spans:
        forms = _topics_outside_lists(passage.text[s:e], vocabulary)
        first = _FIRST_WORD.match(passage.text, s)
        refers = bool(out) and first is not None and first.group(0).casefold() in _BACK_REFERENCES
        out.append(Sentence(s, e, frozenset(terms(passage.text[s:e], language)), frozenset(forms), forms, refers))
    if not cited or cited == passage.text:
        # The passage alone: its topics and terms are its sentences' (no second analysis).
        context_said = frozenset().union(*(x.said for x in out))
        context_terms = frozenset().union(*(x.terms for x in out))
    else:
        context_said = vocabulary.said(cited)
        context_terms = frozenset(terms(cited, language))
    return PassageView(passage=passage, title_terms=frozenset(terms(passage.section, language)),
                       title_stems=_title_stems(passage.section, language),
                       title_forms=vocabulary.said_counts(passage.section),
                       context_said=context_said, context_terms=context_terms, sentences=tuple(out),
                       extends=bool(cited) and cited != passage.text)


# Five or more short items in a row ("storage, access, modification, deletion, and retention"): a precise topic
# named only as one item of such a list is listed, not answered.
_LONG_LIST = re.compile(r"(?:[^\W\d_][\w-]*(?: [\w-]+){0,2}, ){4,}(?:(?:and|or|och|eller) )?[^\W\d_][\w-]*")


def _topics_outside_lists(text: str, vocabulary: Vocabulary) -> dict[str, int]:
    forms = vocabulary.said_counts(text)
    if not _LONG_LIST.search(text):
        return forms
    outside = vocabulary.said_counts(_LONG_LIST.sub(" ", text))
    return {c: n for c, n in forms.items() if c in outside or vocabulary.level(c) <= GENERIC}


_FIRST_WORD = re.compile(r"[^\W\d_]+")
# A question: a question word, then up to its question mark (or the dash that replaced it in some texts).
# Three in one sentence list what the policy answers, they answer nothing themselves.
_ASKS = re.compile(r"\b(?:what|how|who|whom|will|do|does|can|why|where|when|is|are|"
                   r"vad|hur|vem|vilka|vilken|varför|var|när|kan|får)\b(?:[^?!.\n\u2013\u2014-]|[.-](?=\S)){0,160}"
                   r"(?:\?|\s?[\u2013\u2014-](?=\s|$))", re.IGNORECASE)


def _answers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences that may answer: not those listing the questions a policy answers, whether in one
    sentence ("... answers the following questions: What ...- How ...- Will ...-") or as three or more
    questions in a row ("What About Cookies? How Secure Is Information About Me? ...")."""
    asks = [len(_ASKS.findall(text, s, e)) for s, e in spans]
    questions = [n > 0 and text[s:e].rstrip().endswith("?") for n, (s, e) in zip(asks, spans, strict=True)]
    listed = [n >= 3 for n in asks]
    run = 0
    for i, question in enumerate([*questions, False]):
        if question:
            run += 1
            continue
        if run >= 3:
            listed[i - run:i] = [True] * run
        run = 0
    return [span for span, is_listed in zip(spans, listed, strict=True) if not is_listed]


# Words opening a sentence that speaks of what the sentence before it named ("It may include your IP address").
_BACK_REFERENCES = frozenset(["this", "these", "that", "those", "such", "it", "they",
                              "denna", "detta", "dessa", "den", "det", "de", "sådan", "sådana"])


# Section titles repeat across a policy's passages; analyse each once.
@lru_cache(maxsize=10_000)
def _title_stems(title: str, language: Language) -> frozenset[str]:
    return frozenset(stems(title, language))


@dataclass(frozen=True, slots=True)
class Candidate:
    hit: Hit
    quote: tuple[int, int]
    addressed: frozenset[str]  # focus concepts the quote answers
    coverage: float
    rank: float


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _relevant(question: Question, vocabulary: Vocabulary, addressed: frozenset[str], coverage: float,
              unexplained: bool, said: frozenset[str]) -> bool:
    """A specific topic answered decides; otherwise the words must be covered, and a word the policy never
    uses ("profiling", "chats") that nothing in the sentence explains means the policy does not say."""
    if question.focus:
        if not addressed:
            return False
        if any(vocabulary.concepts[c].required and c not in addressed for c in question.focus):
            return False
        if any(e in question.focus and e not in said for c in question.focus for e in vocabulary.concepts[c].excludes):
            return False  # "how long do cookies last": how long data is kept does not say, unless of cookies
        generic = all(vocabulary.level(c) <= GENERIC for c in question.focus)
        if generic:
            return coverage >= COVERAGE_GENERIC and not unexplained
        # Asked two things ("delete my data when I close my account"), a sentence answering one of them
        # must also cover the question's words.
        return addressed >= question.focus or (coverage >= COVERAGE_NONE and not unexplained)
    return coverage >= COVERAGE_NONE and not unexplained


def _strong(question: Question, vocabulary: Vocabulary, coverage: float, unexplained: bool, anchored: bool) -> bool:
    """A broad topic ("what is X used for") may go unnamed by a sentence that covers the words well, or
    that has the question's rare word ("is my password stored" / "we collect your ... password")."""
    return (bool(question.focus) and all(vocabulary.level(c) <= GENERIC for c in question.focus)
            and coverage >= (COVERAGE_ANCHORED if anchored else COVERAGE_STRONG) and not unexplained)


def _complete(question: Question, vocabulary: Vocabulary, coverage: float, unexplained: bool, anchored: bool) -> bool:
    """A sentence writing every word of the question (all of them words of the policy: a phrase's head the
    policy lacks is no word it covers), a rare one among them, answers it though it does not
    name the topic the way the vocabulary knows it ("where do you store documents" / "we use Drive for storing
    any documents"); never a topic that must be answered as such (a duration for "how long")."""
    return (anchored and not unexplained and coverage >= COVERAGE_COMPLETE
            and not any(vocabulary.concepts[c].required for c in question.focus))


def assess(question: Question, hit: Hit, passage: PassageView, vocabulary: Vocabulary, top_score: float,
           ctx: Context) -> Candidate | None:
    """The passage's best answering sentence, or None when the passage does not answer the question."""
    best: Candidate | None = None
    best_choice = 0.0
    similar = _jaccard(question.stems, passage.title_stems)
    # A topic that must be answered as such ("how long") must be, even beside a more precise one ("card details").
    required = [c for c in question.asked - question.focus
                if vocabulary.concepts[c].required and vocabulary.level(c) > 0]
    asks_name, asks_number = ctx.asks_name, ctx.asks_number
    passage_said = passage.context_said | frozenset(passage.title_forms)
    for i, sentence in enumerate(passage.sentences):
        forms = dict(passage.title_forms)
        parts = (passage.sentences[i - 1], sentence) if sentence.refers else (sentence,)
        covered = passage.title_terms
        for part in parts:
            covered |= part.terms
            for concept, n in part.forms.items():
                forms[concept] = forms.get(concept, 0) + n
        said = frozenset(forms)
        if asks_name or asks_number:
            quoted = passage.passage.text[parts[0].start:sentence.end]
            if asks_name and not _names_someone(quoted, question, vocabulary):
                continue
            if asks_number:
                if not _PHONE.search(quoted):
                    continue
                covered |= _NUMBER_WORDS  # the number written out is the number asked for
        addressed = frozenset(c for c in question.focus if vocabulary.addresses(forms, c, question.asked))
        if required and not all(vocabulary.addresses(forms, c, question.asked) for c in required):
            continue
        introduces = passage.passage.text[sentence.start:sentence.end].rstrip().endswith(":")
        if introduces:
            # A sentence introducing a list is answered by the list that follows it.
            covered |= passage.context_terms
            said = said | passage.context_said
        # Two broad topics answered together pin the text down as one precise topic does ("contact" + "rights").
        specific = (any(vocabulary.level(c) > GENERIC for c in addressed)
                    or (ctx.separate and addressed >= question.focus))
        coverage, unexplained, anchored, unnamed, fillers_met = coverage_of(question, covered, said, vocabulary, ctx,
                                                                            answers_topic=specific)
        if unnamed or not (_relevant(question, vocabulary, addressed, coverage, unexplained, said | passage_said)
                or _strong(question, vocabulary, coverage, unexplained, anchored)
                or (_complete(question, vocabulary, coverage, unexplained, anchored) and fillers_met
                    and not ctx.unknown)):
            continue
        phrasings = sum(min(sentence.forms.get(c, 0), 3) for c in addressed)
        preferred = sum(1 for c in addressed for m in vocabulary.concepts[c].prefers
                        if m in said or m in passage.context_said)
        topics = sum(1 for c in question.asked & said if vocabulary.level(c) > 0)  # plain synonyms aside
        rank = (2.0 * len(addressed) + 0.3 * phrasings + 1.0 * preferred + 0.5 * topics
                + 2.0 * coverage + 1.5 * similar + (hit.score / top_score if top_score > 0 else 0.0)
                + ANCHOR_BONUS * anchored + LIST_BONUS * (introduces and bool(addressed))
                - DANGLING * (introduces and not passage.extends))
        # Between sentences of this passage, the one writing more of the question's own words is the quote;
        # the passage still ranks by its relevance alone.
        choice = rank + OWN_WORDS * _own_words(question, ctx, parts)
        if best is None or choice > best_choice:
            best, best_choice = Candidate(hit, (parts[0].start, sentence.end), addressed, coverage, rank), choice
    return best


_NUMBER_WORDS = frozenset(terms("phone number telephone telefonnummer nummer", Language.EN)
                          + terms("telefonnummer nummer telefon", Language.SV))
_PHONE = re.compile(PHONE_INTERNATIONAL + r"|\b0\d{1,3}[\u2011-]\d[\d ]{4,}")
_CAPITALISED = re.compile(r"(?<=[\w,(] )[A-ZÅÄÖ][\w.&-]*")


def _names_someone(text: str, question: Question, vocabulary: Vocabulary) -> bool:
    """Whether ``text`` writes a name: a capitalised word inside a sentence that is no word of the vocabulary
    ("Data Protection Officer") nor of the organisation's own name ("Karl Månsson", "Hubspot", "Rule.io")."""
    for match in _CAPITALISED.finditer(text):
        for term in terms(match.group(0), question.language if question.language_matches else Language.EN):
            if not vocabulary.knows(term) and term not in question.organisation:
                return True
    return False


def _own_words(question: Question, ctx: Context, parts: Sequence[Sentence]) -> float:
    """The IDF-weighted share of the question's words the sentence itself writes (not its title, not a topic)."""
    written: frozenset[str] = frozenset().union(*(p.terms for p in parts))
    if question.language_matches:
        return sum(w for t, w in ctx.weights.items() if t in written) / ctx.total if ctx.total > 0 else 0.0
    own = [policy_stem for _, _, policy_stem in question.foreign]
    return sum(1 for t in own if t in written) / len(own) if own else 0.0


def answer(question: Question, hits: Sequence[Hit], views: Mapping[str, PassageView], vocabulary: Vocabulary,
           idf: Callable[[str], float], texts: Mapping[str, str],
           known: Callable[[str], bool] = lambda term: True,
           known_word: Callable[[str], bool] = lambda word: True) -> tuple[Citation, ...]:
    """Citations (best first, at most three) whose quotes answer the question; () when the policy is silent.

    ``texts`` gives each passage's citation text (see ``citation_spans``); ``known`` tells whether the policy
    uses a term at all, ``known_word`` whether it uses a (normalised) word.
    """
    top = max((h.score for h in hits), default=0.0)
    ctx = context(question, vocabulary, idf, known, known_word)
    found = [c for h in hits if (c := assess(question, h, views[h.passage.id], vocabulary, top, ctx)) is not None]
    found.sort(key=lambda c: -c.rank)
    return tuple(_citation(c, texts.get(c.hit.passage.id, c.hit.passage.text)) for c in found[:MAX_CITATIONS])


MAX_LIST_QUOTE = 400  # chars of a list quoted after its introduction


def _citation(candidate: Candidate, text: str) -> Citation:
    p = candidate.hit.passage
    start, end = candidate.quote
    quote = p.text[start:end]
    if quote.rstrip().endswith(":") and text.startswith(p.text) and len(text) > len(p.text):
        # "We use your information to:" says nothing without the list that follows it in the policy.
        listed = text[start:]
        if len(listed) > MAX_LIST_QUOTE:
            cut = listed.rfind("\n", 0, MAX_LIST_QUOTE)
            listed = listed[:cut] if cut > end - start else listed[:MAX_LIST_QUOTE]
        quote = listed.rstrip()
    # The score is our relevance (topic, coverage, title, BM25), so citations read best first by score too.
    return Citation(org=p.org, section=p.section, passage_id=p.id, text=text, score=candidate.rank,
                    quote=quote)


_LIST_GAP = re.compile(r"[\s•\-*–·▪◦‣●○■□➢►✓\d.()]*")  # whitespace and list markers, no markup
SHORT_PASSAGE = 300  # chars: a list item or an address line reads badly alone
MAX_CITED = 600


def citation_spans(passages: Sequence[Passage], text: str) -> dict[str, tuple[int, int]]:
    """Where each passage's citation runs in its policy: a short passage continues with the passages that
    follow it in the same section (the rest of a list, the address under "Contact"), still the policy's own
    contiguous text, never across markup lines. ``passages`` are one policy's, in order; ``text`` its text."""
    spans: dict[str, tuple[int, int]] = {}
    for i, p in enumerate(passages):
        end = p.end
        j = i + 1
        intro = p.text.rstrip().endswith(":")
        while ((end - p.start < SHORT_PASSAGE or intro) and j < len(passages) and passages[j].section == p.section
               and passages[j].end - p.start <= MAX_CITED and _LIST_GAP.fullmatch(text[end:passages[j].start])):
            end = passages[j].end
            j += 1
        spans[p.id] = (p.start, end)
    return spans
