"""The bilingual privacy vocabulary: how people ask (EN/SV) mapped to how policies write (EN/SV)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

from bot.core.account_topics import ACCOUNT_TOPICS
from bot.core.concepts import CONCEPTS, Concept
from bot.core.contact_topics import CONTACT_TOPICS
from bot.core.glossary import GLOSSARY
from bot.core.models import Language
from bot.core.rights_topics import RIGHTS_TOPICS
from bot.core.synonyms import SYNONYMS
from bot.core.text import STOP_WORDS, STOP_WORDS_EN, STOP_WORDS_SV, normalise, stem, stems, terms, words

_APART = frozenset({"storage"})
_BARE_WHERE = {("where",), ("var",)}  # stems of the bare question word, English and Swedish
_WHERE_DATA = frozenset({"location", "storage", "transfer", "retention", "postal"})  # "where" still asks with these
_CACHED_UP_TO = 120  # chars
_CACHE_SIZE = 10_000
_TOKEN = re.compile(r"[^\W\d_]+")
_MIN_TYPO = 4  # shorter words have too many neighbours to correct
# Longer "words" are no misspellings but noise (a pasted token, a hostile message): their ~60 x length
# one-edit neighbours would cost seconds.
_MAX_TYPO = 30
_MIN_POLICY_TYPO = 6  # towards any word of the policy: only longer words are unambiguous enough


def _forms(raw: str) -> list[str]:
    return [f.strip() for f in raw.split(";") if f.strip()]


@dataclass(frozen=True, slots=True)
class _Phrase:
    concept: str
    stems: tuple[str, ...]


class Vocabulary:
    """Concept detection on stems (both languages) and query expansion into a policy's language."""

    def __init__(self, concepts: Sequence[Concept] = (CONCEPTS + ACCOUNT_TOPICS + CONTACT_TOPICS + RIGHTS_TOPICS
                                                      + SYNONYMS + GLOSSARY)) -> None:
        self.concepts = {c.id: c for c in concepts}
        # Topics and synonyms are matched apart: "what data we have" is about access AND mentions data.
        # Storing is matched on its own too: "we store and process" is about collection AND storage.
        # Glossary words are matched apart from the synonyms too: "work email" is also an e-mail.
        glossary = {c.id for c in GLOSSARY}
        topics = [c for c in concepts if c.level > 0 and c.id not in _APART]
        groups = (topics, [c for c in concepts if c.level <= 0 and c.id not in glossary],
                  [c for c in concepts if c.id in glossary], [c for c in concepts if c.id in _APART])
        self._ask = {lang: [self._table(group, lang, ask=True) for group in groups] for lang in Language}
        self._say = {lang: [self._table(group, lang, ask=False) for group in groups] for lang in Language}
        self._said_cache: dict[str, dict[str, int]] = {}
        self._patterns = [(c.id, re.compile(c.pattern)) for c in concepts if c.pattern]
        self._expansion: dict[tuple[str, Language], tuple[str, ...]] = {}
        for concept in concepts:
            for lang in Language:
                raw = concept.say_en if lang is Language.EN else concept.say_sv
                found: list[str] = []
                for form in _forms(raw):
                    found.extend(t for t in terms(form, lang) if t not in found)
                self._expansion[(concept.id, lang)] = tuple(found)
        self._ask_terms = {
            c.id: frozenset(t for lang, raw in ((Language.EN, c.ask_en + ";" + c.say_en),
                                                (Language.SV, c.ask_sv + ";" + c.say_sv))
                            for form in _forms(raw) for t in terms(form, lang))
            for c in concepts}

        self._any_terms = frozenset().union(*self._ask_terms.values())
        synonyms = {c.id for c in SYNONYMS}
        self._common = frozenset(t for c in concepts if c.level > 0 or c.id in synonyms for t in self._ask_terms[c.id])
        # Spelling: the words of how people ask and how policies write, and the stop words, per language.
        self._spelling = {
            lang: frozenset(w for c in concepts for raw in ((c.ask_en, c.say_en) if lang is Language.EN
                                                            else (c.ask_sv, c.say_sv))
                            for form in _forms(raw) for w in words(form))
            | (STOP_WORDS_EN if lang is Language.EN else STOP_WORDS_SV)
            for lang in Language}
        self._lexicon = self._spelling[Language.EN] | self._spelling[Language.SV] | STOP_WORDS

    def correct(self, text: str, language: Language, known: Container[str]) -> str:
        """``text`` with its misspelt words ("lond") corrected: a word neither the vocabulary nor the policy
        (``known`` words) uses is replaced by the one vocabulary word of ``language`` one edit away, when that
        makes a topic of the question."""
        spelling = self._spelling[language]
        for match in reversed(list(_TOKEN.finditer(text))):
            word = normalise(match.group(0))
            if not _MIN_TYPO <= len(word) <= _MAX_TYPO or word in self._lexicon or word in known:
                continue
            found = {w for w in _edits(word) if w in spelling}
            # One letter wrong ("lond") only where the word completes a phrase ("how long"): too many real words
            # are one letter from a vocabulary word that is a topic alone ("count" / "court").
            phrase_only = not found
            if phrase_only:
                found = {w for w in _substitutions(word) if w in spelling}
            if len(found) != 1:
                continue
            fixed = found.pop()
            # "place" -> "places" says nothing new: only a word of another stem is a correction, and only one
            # that makes a topic of the question ("lond" -> "how long"; not "later" -> "layer").
            if stem(fixed, language) == stem(word, language):
                continue
            corrected = text[:match.start()] + fixed + text[match.end():]
            new = self.asked(corrected) - self.asked(text)
            if new and not (phrase_only and new & self.asked(fixed)):
                text = corrected
        return text

    def correct_to(self, text: str, known: Set[str]) -> str:
        """``text`` with a misspelt word ("infomation", "recieve") replaced by the one word of the policy
        (``known``) one letter dropped, added or swapped away, when the policy does not use the word as written.
        Not a changed letter: too many real words are one letter from another ("profiling" / "profiting")."""
        for match in reversed(list(_TOKEN.finditer(text))):
            word = normalise(match.group(0))
            if (not _MIN_POLICY_TYPO <= len(word) <= _MAX_TYPO or word in self._lexicon or word in known
                    or text[max(0, match.start() - 1):match.end() + 1].count("-")):
                continue  # a part of a hyphenated name ("i-Centrum") is no word of its own
            found = {w for w in _edits(word) if w in known and len(w) >= _MIN_POLICY_TYPO}
            if len(found) == 1:
                text = text[:match.start()] + found.pop() + text[match.end():]
        return text

    @staticmethod
    def _table(concepts: Sequence[Concept], lang: Language, *, ask: bool) -> dict[str, list[_Phrase]]:
        table: dict[str, list[_Phrase]] = {}
        for concept in concepts:
            if ask:
                raw = concept.ask_en if lang is Language.EN else concept.ask_sv
            else:
                raw = concept.say_en if lang is Language.EN else concept.say_sv
            for form in _forms(raw):
                seq = tuple(stems(form, lang))
                if seq:
                    table.setdefault(seq[0], []).append(_Phrase(concept.id, seq))
        return table

    @staticmethod
    def _match(table: dict[str, list[_Phrase]], seq: Sequence[str], found: dict[str, set[tuple[str, ...]]]) -> None:
        """Longest phrase first at each position; its words are not matched again ("data protection
        officer" is the DPO, not also "protection") unless by a phrase running on past it ("which data"
        and "data center" in "which data center")."""
        get = table.get
        size = len(seq)
        covered = 0  # end of the words matched so far
        for i in range(size):
            phrases = get(seq[i])
            if not phrases:
                continue
            best = 0
            matched: list[_Phrase] = []
            for phrase in phrases:
                n = len(phrase.stems)
                if n < best or i + n <= covered or (n > 1 and tuple(seq[i:i + n]) != phrase.stems):
                    continue
                if n > best:
                    best, matched = n, [phrase]
                else:
                    matched.append(phrase)
            for phrase in matched:
                found.setdefault(phrase.concept, set()).add(phrase.stems)
            covered = max(covered, i + best)

    def asked(self, text: str) -> frozenset[str]:
        """The concepts a question asks about (its wording matched in English and in Swedish)."""
        return frozenset(self.asked_words(text))

    def asked_words(self, text: str) -> dict[str, frozenset[str]]:
        """The concepts a question asks about, each with the stems of the phrases that ask it."""
        found: dict[str, set[tuple[str, ...]]] = {}
        for lang in Language:
            seq = stems(text, lang)
            for table in self._ask[lang]:
                self._match(table, seq, found)
        # A bare "where" asks where data is kept only when nothing else is asked: "where do I write to use my
        # rights" asks for a contact route, not a data centre.
        if found.get("location", set()) <= _BARE_WHERE and any(
                self.concepts[c].level > 0 and c not in _WHERE_DATA for c in found):
            found.pop("location", None)
        return {concept: frozenset(t for phrase in phrases for t in phrase) for concept, phrases in found.items()}

    def said_counts(self, text: str) -> dict[str, int]:
        """The concepts a policy text addresses, with how many distinct policy phrasings of each it uses."""
        if len(text) <= _CACHED_UP_TO:  # section titles repeat across a policy's passages
            cached = self._said_cache.get(text)
            if cached is None:
                if len(self._said_cache) >= _CACHE_SIZE:
                    self._said_cache.clear()
                cached = self._said_cache[text] = self._said_counts(text)
            return dict(cached)
        return self._said_counts(text)

    def _said_counts(self, text: str) -> dict[str, int]:
        found: dict[str, set[tuple[str, ...]]] = {}
        for lang in Language:
            seq = stems(text, lang)
            for table in self._say[lang]:
                self._match(table, seq, found)
        counts = {concept: len(forms) for concept, forms in found.items()}
        for concept, pattern in self._patterns:
            if pattern.search(text):
                counts[concept] = counts.get(concept, 0) + 1
        return counts

    def said(self, text: str) -> frozenset[str]:
        """The concepts a policy text addresses (policy wording matched in English and in Swedish)."""
        return frozenset(self.said_counts(text))

    def level(self, concept: str) -> int:
        return self.concepts[concept].level

    def focus(self, asked: Iterable[str]) -> frozenset[str]:
        """The concepts an answer must address: the most specific ones asked."""
        asked = [c for c in asked if self.level(c) > 0]
        if not asked:
            return frozenset()
        top = max(self.level(c) for c in asked)
        return frozenset(c for c in asked if self.level(c) == top)

    def addresses(self, said: Mapping[str, int], concept: str, asked: frozenset[str]) -> bool:
        """Whether a text saying ``said`` (concept -> distinct phrasings) answers ``concept`` for a question
        asking ``asked``."""
        spec = self.concepts[concept]
        if said.get(concept, 0) < spec.min_forms or spec.level <= 0:
            return False
        if any(need not in said for need in spec.needs):
            return False
        return not any(ex in said and ex not in asked for ex in spec.excludes)

    def common(self, term: str) -> bool:
        """Whether ``term`` is a word of the vocabulary's topics or plain synonyms ("store", "use", "user"):
        rare in one policy perhaps, but no sign of a precise match."""
        return term in self._common

    def knows(self, term: str) -> bool:
        """Whether ``term`` is a word of any topic, synonym or glossary entry ("officer", "protection")."""
        return term in self._any_terms

    def ask_terms(self, concept: str) -> frozenset[str]:
        """Index terms (both languages) of how people ask about ``concept``; they are covered when it is."""
        return self._ask_terms.get(concept, frozenset())

    def expansion(self, concepts: Iterable[str], language: Language) -> list[str]:
        """Index terms (in ``language``) of how policies write about ``concepts``."""
        out: list[str] = []
        for concept in sorted(concepts):
            out.extend(t for t in self._expansion.get((concept, language), ()) if t not in out)
        return out


_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäöé"


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition or insertion away from ``word``. Not substitutions: too many
    real words are one letter from a vocabulary word ("count" / "court") to take them for misspellings."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b for a, b in splits for c in _ALPHABET}
    out.discard(word)
    return out


def _substitutions(word: str) -> set[str]:
    """Every string one letter substitution away from ``word``."""
    out = {word[:i] + c + word[i + 1:] for i in range(len(word)) for c in _ALPHABET}
    out.discard(word)
    return out
