"""The Assistant: one message in, one Answer out (route, recognise a request, or retrieve, quote or abstain)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.answers import PassageView, Question, answer, citation_spans, idf_of, view
from bot.core.models import Answer, Citation, Language, Passage, Policy, PolicyMeta, RecognisedRequest
from bot.core.passages import split_policy
from bot.core.replies import answered, request, silent, which_organisation
from bot.core.retrieval import Hit, PassageIndex, Query
from bot.core.rights import extract_identifiers, recognise
from bot.core.routing import OrgMatcher
from bot.core.text import STOP_WORDS, compound_parts, detect_language, stem, stems, strip_salutations, terms, words
from bot.core.vocabulary import Vocabulary
from bot.errors import InvalidInput, UnknownOrganisation

# Longer messages (e-mails with quoted history) are analysed on their beginning only.
MAX_ANALYSED_CHARS = 5000
CANDIDATES = 10
EXPANSION_WEIGHT = 0.3


@dataclass(frozen=True, slots=True)
class _Prepared:
    views: dict[str, PassageView]
    by_concept: dict[str, list[Passage]]  # passages by the topics they address


class Assistant:
    """Built once over the policies (passages, index, matcher); ``respond`` is pure and thread-safe."""

    def __init__(self, policies: Sequence[Policy], *, vocabulary: Vocabulary | None = None) -> None:
        self._policies = {p.id: p for p in policies}
        self._vocabulary = vocabulary or Vocabulary()
        self._matcher = OrgMatcher([p.meta for p in policies])
        passages: list[Passage] = []
        self._cited: dict[str, str] = {}
        self._own: dict[str, list[Passage]] = {}
        for policy in policies:
            own = split_policy(policy)
            self._own[policy.id] = own
            passages.extend(own)
            for pid, (start, end) in citation_spans(own, policy.text).items():
                self._cited[pid] = policy.text[start:end]
        languages = {p.id: p.meta.language for p in policies}
        self._index = PassageIndex(passages, languages)
        # What answering needs of each passage (sentences, topics) is prepared per organisation on its
        # first question, so a cold ``ask`` pays for one policy only; ``warm()`` prepares them all.
        self._prepared: dict[str, _Prepared] = {}
        # An organisation's own name says nothing about which of its passages answers.
        self._words = {p.id: frozenset(words(p.text)) for p in policies}
        self._name_terms = {
            p.id: frozenset(t for name in (p.meta.id, p.meta.name, *p.meta.aliases)
                            for variant in (name, name.replace("-", " "))
                            for t in terms(variant, p.meta.language)) for p in policies}

    def warm(self) -> None:
        """Prepare every organisation now (a server does this at start, before the first question)."""
        for org in self._policies:
            self._prepare(org)

    def _prepare(self, org: str) -> _Prepared:
        prepared = self._prepared.get(org)
        if prepared is None:
            language = self._policies[org].meta.language
            views = {p.id: view(p, language, self._vocabulary, self._cited[p.id]) for p in self._own[org]}
            by_concept: dict[str, list[Passage]] = {}
            for v in views.values():
                said = frozenset(v.title_forms).union(*(s.said for s in v.sentences))
                for concept in said:
                    by_concept.setdefault(concept, []).append(v.passage)
            # A whole object is swapped in at once: a concurrent first question at worst prepares twice.
            prepared = self._prepared[org] = _Prepared(views, by_concept)
        return prepared

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
        citations = self._answer(strip_salutations(text), language, meta)
        if not citations:
            return Answer(org=meta.id, answered=False, reply=silent(meta, language), language=language)
        return Answer(org=meta.id, answered=True, reply=answered(meta, citations, language),
                      language=language, citations=citations)

    def _answer(self, text: str, language: Language, meta: PolicyMeta) -> tuple[Citation, ...]:
        vocabulary = self._vocabulary
        policy_language = meta.language
        text = vocabulary.correct(text, language, self._words[meta.id])
        asked = vocabulary.asked(text)
        focus = vocabulary.focus(asked)
        # The organisation's name and the sender's own signed name say nothing about what is asked.
        signed = extract_identifiers(text).name or ""
        ignore = self._name_terms[meta.id] | frozenset(terms(signed, policy_language))
        own = [t for t in dict.fromkeys(terms(text, policy_language)) if t not in ignore]
        query: dict[str, float] = dict.fromkeys(own, 1.0)
        for term in vocabulary.expansion(asked, policy_language):
            query.setdefault(term, EXPANSION_WEIGHT)
        question = Question(text=text, language=language, asked=asked, focus=focus, terms=tuple(own),
                            stems=frozenset(stems(text, policy_language)),
                            language_matches=language is policy_language,
                            foreign=() if language is policy_language else self._foreign(text, language, meta))
        hits = self._candidates(meta.id, policy_language, query, focus)
        partition = self._index.partitions[meta.id]
        # A question's word the policy never uses is known after all when it is a way of asking about a topic
        # the policy does address ("uppgifter" where the policy writes "personlig information").
        prepared = self._prepare(meta.id)
        synonyms = frozenset(t for c in asked if c in prepared.by_concept for t in vocabulary.ask_terms(c))
        return answer(question, hits, prepared.views, vocabulary, idf_of(partition.df, len(partition)), self._cited,
                      known=lambda term: term in synonyms or partition.df(term) > 0,
                      known_word=self._words[meta.id].__contains__)

    def _foreign(self, text: str, language: Language, meta: PolicyMeta) -> tuple[tuple[str, tuple[str, ...], str], ...]:
        """The content words of a question asked in another language than the policy's."""
        ignore = self._name_terms[meta.id]
        out: list[tuple[str, tuple[str, ...], str]] = []
        for w in dict.fromkeys(words(text)):
            if w in STOP_WORDS or (len(w) < 2 and not w.isdigit()) or stem(w, meta.language) in ignore:
                continue
            parts = compound_parts(w) if language is Language.SV else ()
            out.append((w, (stem(w, language), *(stem(p, language) for p in parts)), stem(w, meta.language)))
        return tuple(out)

    def _candidates(self, org: str, language: Language, query: Query, focus: frozenset[str]) -> list[Hit]:
        hits = self._index.search({language: query}, org=org, k=CANDIDATES)
        seen = {h.passage.id for h in hits}
        extra = 0
        for concept in sorted(focus):
            for passage in self._prepare(org).by_concept.get(concept, ()):
                if passage.id not in seen and extra < CANDIDATES:
                    seen.add(passage.id)
                    hits.append(Hit(passage, 0.0))
                    extra += 1
        return hits
