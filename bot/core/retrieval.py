"""The passage index: BM25 (rank-bm25's BM25Plus formulas) per organisation, and per language across them all."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.core.compact import CompactPassages
from bot.core.models import Language, Passage
from bot.core.postings import DELTA, K1, B, Postings, Query, top
from bot.core.text import terms

__all__ = ["DELTA", "K1", "B", "Hit", "Partition", "PassageIndex", "Query", "Ranking", "passage_terms"]


_LANGUAGES = tuple(Language)
Group = tuple[str, Language, Sequence[Passage]]  # an organisation, its policy language, its passages in order


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    # BM25 over the passage's own organisation; across organisations, over every passage of its language.
    score: float


@dataclass(frozen=True, slots=True)
class Ranking:
    """One organisation's best passages, and the scores of all its passages holding a query term."""

    hits: list[Hit]
    positions: npt.NDArray[np.int32]  # within the organisation
    scores: npt.NDArray[np.float64]

    def scores_by_position(self) -> dict[int, float]:
        return dict(zip(self.positions.tolist(), self.scores.tolist(), strict=True))


def passage_terms(passage: Passage, language: Language) -> list[str]:
    """What a passage is indexed under: its section title's terms and its text's terms."""
    return terms(passage.section, language) + terms(passage.text, language)


class PassageIndex:
    """All passages in one compact inverted index, numbered by language, then organisation, then policy order.

    An organisation's passages are one contiguous range scored with that organisation's own statistics
    (IDF, average length): exactly what rank-bm25's ``BM25Plus`` over that organisation alone gives, less
    its per-query constant. Across organisations, each language's range is scored with statistics over all
    of that language's passages, so scores from different organisations are comparable.
    """

    _languages: dict[str, Language]
    _orgs: dict[str, tuple[int, int]]  # organisation -> its range of passage numbers
    _by_language: dict[Language, tuple[int, int]]
    _passages: CompactPassages
    _postings: Postings

    def __init__(self, passages: Sequence[Passage], languages: Mapping[str, Language],
                 docs: Sequence[Sequence[str]] | None = None, *, sources: Mapping[str, str] | None = None) -> None:
        """``languages``: each organisation's policy language; ``docs``: the passages' terms when given (else
        analysed here); ``sources``: each organisation's policy text, so that passages need not keep copies."""
        by_org: dict[str, list[int]] = {org: [] for org in languages}
        for i, passage in enumerate(passages):
            by_org.setdefault(passage.org, []).append(i)
        groups = [(org, languages.get(org, Language.EN), [passages[i] for i in items],
                   [docs[i] for i in items] if docs is not None else None) for org, items in by_org.items()]
        groups.sort(key=lambda group: _LANGUAGES.index(group[1]))  # stable: organisations keep their order
        self._build(groups, sources)
        self._orgs = {org: self._orgs[org] for org in by_org}  # the organisations in their given order

    @classmethod
    def from_groups(cls, groups: Iterable[Group], *, sources: Mapping[str, str] | None = None) -> PassageIndex:
        """The index over (organisation, policy language, its passages in policy order) groups, which must come
        in ``Language`` order; taken one at a time, so all passages' objects need never be alive at once."""
        index = cls.__new__(cls)
        index._build(((org, language, passages, None) for org, language, passages in groups), sources)
        return index

    def _build(self, groups: Iterable[tuple[str, Language, Sequence[Passage], Sequence[Sequence[str]] | None]],
               sources: Mapping[str, str] | None) -> None:
        self._languages = {}
        self._orgs = {}
        bounds: dict[Language, tuple[int, int]] = {}
        self._passages = CompactPassages(sources)

        def analysed() -> Iterator[Sequence[str]]:
            position = 0
            for org, language, passages, docs in groups:
                if bounds and _LANGUAGES.index(language) < _LANGUAGES.index(next(reversed(bounds))):
                    raise ValueError(f"{org}: groups must come in language order ({', '.join(_LANGUAGES)})")
                self._languages[org] = language
                self._orgs[org] = (position, position + len(passages))
                bounds[language] = (bounds.get(language, (position, position))[0], position + len(passages))
                position += len(passages)
                for i, passage in enumerate(passages):
                    self._passages.add(passage)
                    yield docs[i] if docs is not None else passage_terms(passage, language)

        self._postings = Postings(analysed())
        self._by_language = {language: bounds.get(language, (0, 0)) for language in Language}
        self._org_norms = self._postings.norms(list(self._orgs.values()))
        # Across organisations every posting of a common term counts: its tf part is computed once, in float32
        # (half the memory; the ranking across organisations is no exactness reference).
        language_norms = self._postings.norms(list(self._by_language.values()))
        self._language_parts = self._postings.parts(language_norms, 0, len(self._postings.docs)).astype(np.float32)

    @property
    def orgs(self) -> tuple[str, ...]:
        return tuple(self._orgs)

    def language(self, org: str) -> Language:
        return self._languages[org]

    def partition(self, org: str) -> Partition:
        return Partition.of(self, org)

    def count(self, org: str) -> int:
        """How many passages ``org`` has (0 for an unknown organisation)."""
        lo, hi = self._orgs.get(org, (0, 0))
        return hi - lo

    def passages_of(self, org: str) -> tuple[Passage, ...]:
        """``org``'s passages in policy order."""
        lo, hi = self._orgs[org]
        return self._passages.slice(lo, hi)

    def search(self, queries: Mapping[Language, Query], *, org: str | None = None, k: int = 10) -> list[Hit]:
        """Best passages of ``org``, or across all organisations (each language's passages under their own
        statistics, merged by score). ``queries`` gives the weighted query per policy language."""
        if org is not None:
            if org not in self._orgs:
                return []
            lo, hi = self._orgs[org]
            return self._hits(queries.get(self._languages[org], {}), lo, hi, k)
        hits: list[Hit] = []
        for language, (lo, hi) in self._by_language.items():
            if hi > lo and language in queries:
                hits.extend(self._hits(queries[language], lo, hi, k, self._language_parts))
        hits.sort(key=lambda h: -h.score)
        return hits[:k]

    def ranking(self, org: str, query: Query, k: int) -> Ranking:
        """``org``'s best ``k`` passages, with every passage's score kept for a look-up by position."""
        lo, hi = self._orgs[org]
        found, scores = self._postings.scores(query, lo, hi, self._org_norms)
        return Ranking([Hit(self._passages[i], score) for i, score in top(found, scores, k)], found - lo, scores)

    def _hits(self, query: Query, lo: int, hi: int, k: int, parts: npt.NDArray[np.float32] | None = None) -> list[Hit]:
        found, scores = self._postings.scores(query, lo, hi, self._org_norms, parts)
        return [Hit(self._passages[i], score) for i, score in top(found, scores, k)]

    def _scores(self, org: str, query: Query) -> dict[int, float]:
        lo, hi = self._orgs[org]
        found, scores = self._postings.scores(query, lo, hi, self._org_norms)
        return {int(i) - lo: float(s) for i, s in zip(found, scores, strict=True)}

    def _df(self, org: str, term: str) -> int:
        lo, hi = self._orgs[org]
        return self._postings.df(term, lo, hi)

    def nbytes(self) -> int:
        """Bytes held in the index's arrays (the term dictionary and passages aside)."""
        p = self._postings
        arrays = (p.docs, p.tf, p.start, p.lengths, self._org_norms, self._language_parts)
        return int(sum(a.nbytes for a in arrays))


class Partition:
    """One organisation's passages under BM25 (a view into a ``PassageIndex``).

    ``Partition(passages, language)`` indexes one organisation's passages on their own; the scores equal
    ``BM25Plus.get_scores`` minus the per-query constant ``delta * sum(idf)`` rank-bm25 adds to every passage.
    BM25Plus rather than BM25Okapi: its IDF log((N+1)/df) stays positive in tiny corpora.
    """

    def __init__(self, passages: Sequence[Passage], language: Language,
                 docs: Sequence[Sequence[str]] | None = None) -> None:
        org = passages[0].org if passages else ""
        self._index = PassageIndex(passages, {org: language}, docs=docs)
        self._org = org
        self.language = language

    @classmethod
    def of(cls, index: PassageIndex, org: str) -> Partition:
        view = cls.__new__(cls)
        view._index, view._org, view.language = index, org, index.language(org)
        return view

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self._index.passages_of(self._org)

    def __len__(self) -> int:
        return self._index.count(self._org)

    def scores(self, query: Query) -> dict[int, float]:
        """Scores of the passages that contain at least one query term, by position."""
        return self._index._scores(self._org, query)

    def search(self, query: Query, k: int) -> list[Hit]:
        return self._index.search({self.language: query}, org=self._org, k=k)

    def df(self, term: str) -> int:
        return self._index._df(self._org, term)
