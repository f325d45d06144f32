"""Pick the answering sentences inside retrieved passages, or decide honestly that the policy is silent."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.concepts import GENERIC
from bot.core.models import Citation, Language, Passage
from bot.core.retrieval import Hit
from bot.core.sentences import sentences
from bot.core.text import stems, terms
from bot.core.vocabulary import Vocabulary

MAX_CITATIONS = 3
# Words that carry a question rather than its topic; a policy not using them says nothing.
_FILLER = frozenset(
    terms("happen happens happened anything something everything anyone someone people person thing things "
          "stuff way ways know tell wonder wondering question questions like get gets got make need needs want "
          "wants possible able allowed ok okay really actually exactly just also ever still currently "
          "mean means kind sort lot much many take takes taken see seen put go goes come let anywhere stop start "
          "become being "
          "somewhere hello hi hey dear regards br best thanks thank cheers sincerely "
          "yours please one year years last ago month months week weeks day days today yesterday recently "
          # what is left of a contraction once the apostrophe splits it ("haven't" -> "haven", "t")
          "haven hasn hadn didn doesn don isn aren wasn weren won wouldn couldn shouldn ain "
          "besides except apart run runs running do does doing done mine ever end ends ended went gone going "
          "made took came",
          Language.EN)
    + terms("hända händer händer något någonting allt folk sak saker sätt veta undrar fråga frågor behöver "
            "vill möjligt kunna få verkligen egentligen hej hallå mvh vänliga hälsningar hälsning tack", Language.SV))
# Share of the question's (IDF-weighted) words an answer must cover when no specific topic decides it.
COVERAGE_GENERIC = 0.34
COVERAGE_NONE = 0.5
COVERAGE_STRONG = 0.6
COVERAGE_ANCHORED = 0.5


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
    spans = sentences(passage.text) or [(0, len(passage.text))]
    out: list[Sentence] = []
    for s, e in spans:
        forms = vocabulary.said_counts(passage.text[s:e])
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


_FIRST_WORD = re.compile(r"[^\W\d_]+")
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


@dataclass(slots=True)
class _Context:
    """What scoring one question needs, computed once per question rather than once per sentence."""

    weights: dict[str, float]  # IDF of each question term
    total: float
    unknown: frozenset[str]  # terms (or foreign words) the policy never uses, fillers aside
    explained: dict[frozenset[str], frozenset[str]]  # topics -> question words they explain (memo)
    anchor: float = math.inf  # IDF from which a question term is rare in the policy (a precise match)
    content: int = 0  # the question's content words, fillers aside


# A word the policy never uses is one word of the question among others: it says the policy is silent
# when it carries the question, not when the rest of the question meets a rare word of the policy.
MAX_UNKNOWN_SHARE = 1 / 3
MIN_WORDS_TO_FORGIVE = 3
ANCHOR_BONUS = 0.5  # the sentence has the question's rare word
LIST_BONUS = 0.5  # a sentence introducing the list that answers ("The purposes ... are:")
DANGLING = 1.0  # ... but quoted without its list (it runs past the citation), it says little
ANCHOR_SHARE = 0.05  # a question term used in at most this share of the passages pins the answer down


def _context(question: Question, vocabulary: Vocabulary, idf: Callable[[str], float],
             known: Callable[[str], bool], known_word: Callable[[str], bool]) -> _Context:
    weights = {t: idf(t) for t in question.terms}
    if question.language_matches:
        unknown = frozenset(t for t in question.terms if t not in _FILLER and not known(t))
        content = sum(1 for t in question.terms if t not in _FILLER)
    else:
        unknown = frozenset(word for word, alternatives, _ in question.foreign
                            if not known_word(word) and not any(a in _FILLER or known(a) for a in alternatives))
        content = sum(1 for _, alternatives, _ in question.foreign if not any(a in _FILLER for a in alternatives))
    return _Context(weights, sum(weights.values()), unknown, {}, _anchor(idf), content)


def _anchor(idf: Callable[[str], float]) -> float:
    """The IDF from which a term is rare: used by at most ANCHOR_SHARE of the passages (at least one)."""
    size = math.exp(idf("")) - 1  # a term no passage uses: log(size + 1)
    return idf("") - math.log(max(1.0, round(ANCHOR_SHARE * size))) - 1e-9


def _forgiven(ctx: _Context, unknown: int, anchored: bool) -> bool:
    """Words the policy never uses that nothing explains are forgiven when they are few and the text meets
    a rare word of the question ("Google" in "which Google products do you use")."""
    return (anchored and ctx.content >= MIN_WORDS_TO_FORGIVE
            and unknown <= MAX_UNKNOWN_SHARE * ctx.content)


def _coverage(question: Question, covered: frozenset[str], said: frozenset[str], vocabulary: Vocabulary,
              ctx: _Context) -> tuple[float, bool, bool]:
    """The IDF-weighted share of the question's terms the text covers (itself or through a concept it
    addresses), whether a term the whole policy never uses is left unexplained (and not forgiven), and
    whether the text has a word of the question that is rare in the policy."""
    if not question.terms and not question.foreign:
        return 0.0, False, False
    topics = question.asked & said
    explained = ctx.explained.get(topics)
    if explained is None:
        explained = frozenset().union(*(vocabulary.ask_terms(c) for c in topics))
        ctx.explained[topics] = explained
    if not question.language_matches:
        # Asked in the other language: only topics explain its words, and loan words ("Google") match.
        hits = 0
        missing = 0
        anchored = False
        for word, alternatives, policy_stem in question.foreign:
            if policy_stem in covered:
                hits += 1
                anchored = anchored or ctx.weights.get(policy_stem, 0.0) >= ctx.anchor
            elif not explained.isdisjoint(alternatives):
                hits += 1
            elif word in ctx.unknown:
                missing += 1
        unexplained = missing > 0 and not _forgiven(ctx, missing, anchored)
        return (hits / len(question.foreign) if question.foreign else 0.0), unexplained, anchored
    got = 0.0
    missing = 0
    missed = 0.0
    anchored = False
    for term, weight in ctx.weights.items():
        if term in covered:
            got += weight
            anchored = anchored or (weight >= ctx.anchor and term not in _FILLER)
        elif term in explained:
            got += weight
        elif term in ctx.unknown:
            missing += 1
            missed += weight
    if missing and _forgiven(ctx, missing, anchored):
        # Forgiven words are incidental to the question: they weigh nothing either way.
        total = ctx.total - missed
        return (got / total if total > 0 else 0.0), False, anchored
    return (got / ctx.total if ctx.total > 0 else 0.0), missing > 0, anchored


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _relevant(question: Question, vocabulary: Vocabulary, addressed: frozenset[str], coverage: float,
              unexplained: bool) -> bool:
    """A specific topic answered decides; otherwise the words must be covered, and a word the policy never
    uses ("profiling", "chats") that nothing in the sentence explains means the policy does not say."""
    if question.focus:
        if not addressed:
            return False
        if any(vocabulary.concepts[c].required and c not in addressed for c in question.focus):
            return False
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


def assess(question: Question, hit: Hit, passage: PassageView, vocabulary: Vocabulary, top_score: float,
           ctx: _Context) -> Candidate | None:
    """The passage's best answering sentence, or None when the passage does not answer the question."""
    best: Candidate | None = None
    similar = _jaccard(question.stems, passage.title_stems)
    for i, sentence in enumerate(passage.sentences):
        forms = dict(passage.title_forms)
        parts = (passage.sentences[i - 1], sentence) if sentence.refers else (sentence,)
        covered = passage.title_terms
        for part in parts:
            covered |= part.terms
            for concept, n in part.forms.items():
                forms[concept] = forms.get(concept, 0) + n
        said = frozenset(forms)
        addressed = frozenset(c for c in question.focus if vocabulary.addresses(forms, c, question.asked))
        introduces = passage.passage.text[sentence.start:sentence.end].rstrip().endswith(":")
        if introduces:
            # A sentence introducing a list is answered by the list that follows it.
            covered |= passage.context_terms
            said = said | passage.context_said
        coverage, unexplained, anchored = _coverage(question, covered, said, vocabulary, ctx)
        if not (_relevant(question, vocabulary, addressed, coverage, unexplained)
                or _strong(question, vocabulary, coverage, unexplained, anchored)):
            continue
        phrasings = sum(min(sentence.forms.get(c, 0), 3) for c in addressed)
        preferred = sum(1 for c in addressed for m in vocabulary.concepts[c].prefers
                        if m in said or m in passage.context_said)
        topics = sum(1 for c in question.asked & said if vocabulary.level(c) > 0)  # plain synonyms aside
        rank = (2.0 * len(addressed) + 0.3 * phrasings + 1.0 * preferred + 0.5 * topics
                + 2.0 * coverage + 1.5 * similar + (hit.score / top_score if top_score > 0 else 0.0)
                + ANCHOR_BONUS * anchored + LIST_BONUS * (introduces and bool(addressed))
                - DANGLING * (introduces and not passage.extends))
        if best is None or rank > best.rank:
            best = Candidate(hit, (parts[0].start, sentence.end), addressed, coverage, rank)
    return best


def answer(question: Question, hits: Sequence[Hit], views: Mapping[str, PassageView], vocabulary: Vocabulary,
           idf: Callable[[str], float], texts: Mapping[str, str],
           known: Callable[[str], bool] = lambda term: True,
           known_word: Callable[[str], bool] = lambda word: True) -> tuple[Citation, ...]:
    """Citations (best first, at most three) whose quotes answer the question; () when the policy is silent.

    ``texts`` gives each passage's citation text (see ``citation_spans``); ``known`` tells whether the policy
    uses a term at all, ``known_word`` whether it uses a (normalised) word.
    """
    top = max((h.score for h in hits), default=0.0)
    ctx = _context(question, vocabulary, idf, known, known_word)
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


def idf_of(df: Callable[[str], int], size: int) -> Callable[[str], float]:
    """IDF (BM25Plus form, always positive) for weighting a question's words; unseen words weigh most."""
    return lambda term: math.log((size + 1) / max(df(term), 1))
