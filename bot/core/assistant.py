"""The Assistant: one message in, one Answer out (route, recognise a request, or retrieve, quote or abstain)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from bot.core.answers import Question, answer, citation_spans, idf_of
from bot.core.concepts import GENERIC
from bot.core.models import Answer, Citation, Language, Policy, PolicyMeta, RecognisedRequest
from bot.core.passages import split_policy
from bot.core.prepared import Bounded, LazyMapping, Prepared, prepare
from bot.core.replies import answered, request, silent, which_organisation
from bot.core.retrieval import Group, Hit, PassageIndex, Query
from bot.core.rights import extract_identifiers, recognise
from bot.core.routing import OrgMatcher
from bot.core.text import (
    STOP_WORDS,
    asked_sentences,
    compound_parts,
    detect_language,
    self_descriptions,
    stem,
    stems,
    strip_salutations,
    terms,
    words,
)
from bot.core.vocabulary import Vocabulary
from bot.errors import InvalidInput, UnknownOrganisation

# Longer messages (e-mails with quoted history) are analysed on their beginning only.
MAX_ANALYSED_CHARS = 5000
CANDIDATES = 10
EXPANSION_WEIGHT = 0.3
# Prepared answer data costs a few kB per passage: beyond this many passages the least recently asked
# organisations are dropped and prepared again on their next question.
PREPARED_PASSAGES = 8_000
KNOWN_WORDS_ORGS = 256  # organisations whose word sets (spelling correction, foreign words) are kept


class Assistant:
    """Built once over the policies (passages, index, matcher); ``respond`` is pure and thread-safe."""

    def __init__(self, policies: Sequence[Policy], *, vocabulary: Vocabulary | None = None) -> None:
        self._policies = {p.id: p for p in policies}
        self._vocabulary = vocabulary or Vocabulary()
        self._matcher = OrgMatcher([p.meta for p in policies])
        # A passage's citation text where it runs on past the passage (else the passage's own text).
        self._cited: dict[str, str] = {}

        def split() -> Iterator[Group]:
            # One policy's passages at a time (the index keeps them compactly), in the index's language order.
            for policy in sorted(self._policies.values(), key=lambda p: tuple(Language).index(p.meta.language)):
                own = split_policy(policy)
                for passage, (start, end) in zip(own, citation_spans(own, policy.text).values(), strict=True):
                    if (start, end) != (passage.start, passage.end):
                        self._cited[passage.id] = policy.text[start:end]
                yield policy.id, policy.meta.language, own

        self._index = PassageIndex.from_groups(split(), sources={p.id: p.text for p in self._policies.values()})
        # What answering needs of each passage (sentences, topics) is prepared per organisation on its
        # first question, so a cold ``ask`` pays for one policy only; ``warm()`` prepares what the cache holds.
        self._prepared: Bounded[Prepared] = Bounded(self._make_prepared, self.passage_count, PREPARED_PASSAGES)
        self._words: Mapping[str, frozenset[str]] = LazyMapping(
            tuple(self._policies), Bounded(lambda org: frozenset(words(self._policies[org].text)),
                                           lambda org: 1, KNOWN_WORDS_ORGS))
        # An organisation's own name says nothing about which of its passages answers; each name's terms are
        # dropped where the question writes that whole name ("iCentrex Sweden AB", not "Sweden" alone).
        self._name_terms = {
            p.id: tuple(dict.fromkeys(tuple(terms(variant, p.meta.language))
                                      for name in (p.meta.id, p.meta.name, *p.meta.aliases)
                                      for variant in (name, name.replace("-", " ")))) for p in policies}

    def warm(self) -> None:
        """Prepare organisations now, in order, as many as the cache holds: every one of a usual deployment
        (a server does this at start, before the first question)."""
        used = 0
        for org in self._policies:
            used += self.passage_count(org)
            if used > self._prepared.budget:
                break
            self._prepare(org)

    def passage_count(self, org: str) -> int:
        return self._index.count(org)

    def _prepare(self, org: str) -> Prepared:
        return self._prepared.get(org)

    def _make_prepared(self, org: str) -> Prepared:
        return prepare(self._index.passages_of(org), self._policies[org].meta.language, self._vocabulary,
                       self._cited)

    def is_prepared(self, org: str) -> bool:
        """Whether ``org``'s answer data is prepared (its next question pays no first-touch cost)."""
        return org in self._prepared

    def search(self, text: str, *, k: int = CANDIDATES) -> list[Hit]:
        """The best passages across every organisation, for a question that names none: its terms in each
        policy language, BM25 over all passages of that language (one statistic, so scores compare)."""
        text = strip_salutations(text[:MAX_ANALYSED_CHARS])
        return self._index.search({lang: dict.fromkeys(terms(text, lang), 1.0) for lang in Language}, k=k)

    @property
    def policies(self) -> tuple[Policy, ...]:
        return tuple(self._policies.values())

    def meta(self, org: str) -> PolicyMeta:
        policy = self._policies.get(org)
        if policy is None:
            raise UnknownOrganisation(org, tuple(self._policies))
        return policy.meta

    def respond(self, text: str, *, org: str | None = None) -> Answer:
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("the message is empty; please write a question or a request")
        text = text[:MAX_ANALYSED_CHARS]
        language = detect_language(text)
        if org is not None and org not in self._policies:
            raise UnknownOrganisation(org, tuple(self._policies))
        route = self._matcher.route(text, given=org)
        match = recognise(text, language)
        is_request = match is not None and match.is_request
        if route.org is None:
            choices = route.choices or tuple(self._policies)
            metas = [self._policies[c].meta for c in choices if c in self._policies]
            reply = which_organisation(metas, language,
                                       request_right=match.right if match and is_request else None)
            return Answer(org=None, answered=False, reply=reply, language=language, choices=tuple(choices))
        meta = self._policies[route.org].meta
        if match is not None and match.is_request:
            recognised = RecognisedRequest(
                right=match.right, forward_to=meta.contact_email,
                no_address_reason=None if meta.contact_email else meta.contact_note,
                identifiers=extract_identifiers(text), confidence=match.confidence)
            return Answer(org=meta.id, answered=True, reply=request(meta, recognised, language),
                          language=language, request=recognised)
        citations = self._answer(self._asked(strip_salutations(text)), language, meta)
        if not citations:
            return Answer(org=meta.id, answered=False, reply=silent(meta, language), language=language)
        return Answer(org=meta.id, answered=True, reply=answered(meta, citations, language),
                      language=language, citations=citations)

    def _asked(self, body: str) -> str:
        """What the message asks: its questions, with the asker's description of themselves when it names a
        precise topic the questions do not ("I'm a normal user, not an admin. Who do I go to for my rights?")."""
        asked = asked_sentences(body)
        if asked == body:
            return asked
        vocabulary = self._vocabulary
        own = vocabulary.asked(asked)
        about_me = [s for s in self_descriptions(body)
                    if any(vocabulary.level(c) > GENERIC for c in vocabulary.asked(s) - own)]
        return " ".join([*about_me, asked])

    def _answer(self, text: str, language: Language, meta: PolicyMeta) -> tuple[Citation, ...]:
        vocabulary = self._vocabulary
        policy_language = meta.language
        text = vocabulary.correct(text, language, self._words[meta.id])
        if language is policy_language:
            text = vocabulary.correct_to(text, self._words[meta.id])
        asked_words = vocabulary.asked_words(text)
        asked = frozenset(asked_words)
        focus = vocabulary.focus(asked)
        # The organisation's name and the sender's own signed name say nothing about what is asked.
        signed = extract_identifiers(text).name or ""
        written = terms(text, policy_language)
        ignore = self._names_in(meta.id, written) | frozenset(terms(signed, policy_language))
        own = [t for t in dict.fromkeys(written) if t not in ignore]
        query: dict[str, float] = dict.fromkeys(own, 1.0)
        for term in vocabulary.expansion(asked, policy_language):
            query.setdefault(term, EXPANSION_WEIGHT)
        question = Question(text=text, language=language, asked=asked, focus=focus, terms=tuple(own),
                            stems=frozenset(stems(text, policy_language)),
                            language_matches=language is policy_language,
                            foreign=() if language is policy_language else self._foreign(text, language, meta),
                            organisation=frozenset(t for name in self._name_terms[meta.id] for t in name),
                            asked_words=asked_words)
        hits = self._candidates(meta.id, query, focus)
        partition = self._index.partition(meta.id)
        # A question's word the policy never uses is known after all when it is a way of asking about a topic
        # the policy does address ("uppgifter" where the policy writes "personlig information").
        prepared = self._prepare(meta.id)
        synonyms = frozenset(t for c in asked if c in prepared.by_concept for t in vocabulary.ask_terms(c))
        return answer(question, hits, prepared.views, vocabulary, idf_of(partition.df, len(partition)), self._cited,
                      known=lambda term: term in synonyms or partition.df(term) > 0,
                      known_word=self._words[meta.id].__contains__)

    def _foreign(self, text: str, language: Language, meta: PolicyMeta) -> tuple[tuple[str, tuple[str, ...], str], ...]:
        """The content words of a question asked in another language than the policy's."""
        ignore = self._names_in(meta.id, terms(text, meta.language))
        out: list[tuple[str, tuple[str, ...], str]] = []
        for w in dict.fromkeys(words(text)):
            if w in STOP_WORDS or (len(w) < 2 and not w.isdigit()) or stem(w, meta.language) in ignore:
                continue
            parts = compound_parts(w) if language is Language.SV else ()
            out.append((w, (stem(w, language), *(stem(p, language) for p in parts)), stem(w, meta.language)))
        return tuple(out)

    def _names_in(self, org: str, written: Sequence[str]) -> frozenset[str]:
        """The terms of ``written`` (a question's terms) used only where they spell out one of the
        organisation's names whole."""
        named = [False] * len(written)
        for name in self._name_terms[org]:
            n = len(name)
            for i in range(len(written) - n + 1):
                if n and tuple(written[i:i + n]) == name:
                    named[i:i + n] = [True] * n
        inside = {t for t, is_name in zip(written, named, strict=True) if is_name}
        return frozenset(inside - {t for t, is_name in zip(written, named, strict=True) if not is_name})

    def _candidates(self, org: str, query: Query, focus: frozenset[str]) -> list[Hit]:
        ranking = self._index.ranking(org, query, CANDIDATES)
        hits = list(ranking.hits)
        seen = {h.passage.id for h in hits}
        extra = 0
        prepared = self._prepare(org)
        scores: dict[int, float] = {}
        for concept in sorted(focus):
            addressing = prepared.by_concept.get(concept, [])
            if len(addressing) > CANDIDATES:
                # A common topic of a long policy: the passages sharing most of the question's words first.
                scores = scores or ranking.scores_by_position()
                addressing = sorted(addressing, key=lambda p: -scores.get(prepared.positions[p.id], 0.0))
            for passage in addressing:
                if passage.id not in seen and extra < CANDIDATES:
                    seen.add(passage.id)
                    hits.append(Hit(passage, 0.0))
                    extra += 1
        return hits
