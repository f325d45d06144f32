"""The passage index: BM25 (rank-bm25's BM25Plus statistics) per organisation, scoring only candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rank_bm25 import BM25Plus

from bot.core.models import Language, Passage
from bot.core.text import terms

K1 = 1.5
B = 0.75
DELTA = 1.0

Query = Mapping[str, float]  # term -> weight (a term repeated n times in a rank-bm25 query has weight n)


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float  # BM25 over the passage's own partition; comparable only within one organisation


def passage_terms(passage: Passage, language: Language) -> list[str]:
    """What a passage is indexed under: its section title's terms and its text's terms."""
    return terms(passage.section, language) + terms(passage.text, language)


class Partition:
    """One organisation's passages under BM25.

    Statistics (IDF, lengths) come from rank-bm25's ``BM25Plus``: its IDF log((N+1)/df) stays positive in
    tiny corpora where ``BM25Okapi`` gives zero or negative IDF. Scoring walks postings of the query terms
    only, so it touches just the candidate passages; the result equals ``BM25Plus.get_scores`` minus the
    per-query constant ``delta * sum(idf)`` that rank-bm25 adds to every passage.
    """

    def __init__(self, passages: Sequence[Passage], language: Language,
                 docs: Sequence[list[str]] | None = None) -> None:
        self.passages = tuple(passages)
        self.language = language
        corpus = [list(d) for d in docs] if docs is not None else [passage_terms(p, language) for p in passages]
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self.idf: dict[str, float] = {}
        # rank-bm25 divides by zero on an empty corpus (or one without a single term).
        if not corpus or not any(corpus):
            return
        bm25 = BM25Plus(corpus, k1=K1, b=B, delta=DELTA)
        self.idf = dict(bm25.idf)
        for i, freqs in enumerate(bm25.doc_freqs):
            norm = K1 * (1 - B + B * bm25.doc_len[i] / bm25.avgdl)
            for term, tf in freqs.items():
                self._postings.setdefault(term, []).append((i, tf * (K1 + 1) / (norm + tf)))

    def __len__(self) -> int:
        return len(self.passages)

    def scores(self, query: Query) -> dict[int, float]:
        """Scores of the passages that contain at least one query term, by position."""
        out: dict[int, float] = {}
        for term, weight in query.items():
            postings = self._postings.get(term)
            if not postings:
                continue
            factor = weight * self.idf[term]
            for i, tf_part in postings:
                out[i] = out.get(i, 0.0) + factor * tf_part
        return out

    def search(self, query: Query, k: int) -> list[Hit]:
        ranked = sorted(self.scores(query).items(), key=lambda item: (-item[1], item[0]))[:k]
        return [Hit(self.passages[i], score) for i, score in ranked]

    def df(self, term: str) -> int:
        return len(self._postings.get(term, ()))


class PassageIndex:
    """All passages, partitioned per organisation (the organisation is known for nearly every question)."""

    def __init__(self, passages: Sequence[Passage], languages: Mapping[str, Language]) -> None:
        by_org: dict[str, list[Passage]] = {org: [] for org in languages}
        for passage in passages:
            by_org.setdefault(passage.org, []).append(passage)
        self.partitions = {org: Partition(items, languages.get(org, Language.EN))
                           for org, items in by_org.items()}

    @property
    def orgs(self) -> tuple[str, ...]:
        return tuple(self.partitions)

    def language(self, org: str) -> Language:
        return self.partitions[org].language

    def search(self, queries: Mapping[Language, Query], *, org: str | None = None, k: int = 10) -> list[Hit]:
        """Best passages of ``org`` (or, across all organisations, the best of each merged by score).

        ``queries`` gives the weighted query per policy language (a question is analysed once per language).
        """
        orgs = (org,) if org is not None else self.orgs
        hits: list[Hit] = []
        for name in orgs:
            part = self.partitions.get(name)
            if part is None or not len(part):
                continue
            hits.extend(part.search(queries.get(part.language, {}), k))
        if org is None:
            hits.sort(key=lambda h: -h.score)
        return hits[:k]
