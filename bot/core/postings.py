"""Compact postings (term -> passages, CSR in numpy arrays) and BM25Plus over any contiguous range of passages."""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

K1 = 1.5
B = 0.75
DELTA = 1.0

Query = Mapping[str, float]  # term -> weight (a term repeated n times in a rank-bm25 query has weight n)
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int32]


class Postings:
    """Every passage's terms once: for each term the passages holding it (ascending) and its frequency there.

    Passages are numbered 0..n-1 and scored over ranges [lo, hi) (one organisation, one language): the
    document frequency within a range is the length of a sub-slice found by binary search, so any range has
    its own exact BM25 statistics without a dictionary of its own.
    """

    def __init__(self, docs: Iterable[Sequence[str]]) -> None:
        self.terms: dict[str, int] = {}
        # array('i') rather than lists of ints: millions of postings, no int object each.
        ids = array("i")
        freqs = array("i")
        per_doc = array("i")
        lengths = array("i")
        terms = self.terms
        for doc in docs:
            counts = Counter(doc)
            ids.extend([terms.setdefault(t, len(terms)) for t in counts])
            freqs.extend(counts.values())
            per_doc.append(len(counts))
            lengths.append(len(doc))
        size = len(lengths)
        term_ids = np.frombuffer(ids, dtype=np.int32) if len(ids) else np.zeros(0, dtype=np.int32)
        order = np.argsort(term_ids, kind="stable")  # stable: passages stay ascending within a term
        self.docs: Ints = np.repeat(np.arange(size, dtype=np.int32), np.array(per_doc, dtype=np.int64))[order]
        self.tf: npt.NDArray[np.uint16] = np.minimum(np.array(freqs, dtype=np.int64), 65535).astype(np.uint16)[order]
        self.start = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=len(terms)), out=self.start[1:])
        self.lengths: Ints = np.array(lengths, dtype=np.int32)

    def norms(self, ranges: Sequence[tuple[int, int]]) -> Floats:
        """Per passage ``k1 * (1 - b + b * len / avgdl)``, avgdl taken over the range holding the passage."""
        avgdl = np.ones(len(self.lengths), dtype=np.float64)
        for lo, hi in ranges:
            if hi > lo:
                total = int(self.lengths[lo:hi].sum())
                avgdl[lo:hi] = (total / (hi - lo)) or 1.0  # a range without terms has no postings anyway
        result: Floats = K1 * (1 - B + B * self.lengths.astype(np.float64) / avgdl)
        return result

    def parts(self, norms: Floats, s: int, e: int) -> Floats:
        """``tf * (k1 + 1) / (norm + tf)`` of postings s..e, the operations in the order of a loop over
        rank-bm25's ``doc_freqs`` with its ``doc_len`` and ``avgdl`` (the old per-organisation path): the
        same floats to the last bit (``get_scores`` orders them otherwise and agrees to rounding)."""
        tf = self.tf[s:e].astype(np.float64)
        result: Floats = tf * (K1 + 1) / (norms[self.docs[s:e]] + tf)
        return result

    def span(self, term: str, lo: int, hi: int) -> tuple[int, int]:
        """Where ``term``'s postings for passages in [lo, hi) lie (an empty span when there are none)."""
        tid = self.terms.get(term)
        if tid is None:
            return 0, 0
        s, e = int(self.start[tid]), int(self.start[tid + 1])
        docs = self.docs[s:e]
        if len(docs) and (docs[0] < lo or docs[-1] >= hi):
            return s + int(np.searchsorted(docs, lo)), s + int(np.searchsorted(docs, hi))
        return s, e

    def df(self, term: str, lo: int, hi: int) -> int:
        s, e = self.span(term, lo, hi)
        return e - s

    def scores(self, query: Query, lo: int, hi: int, norms: Floats,
               parts: npt.NDArray[np.floating[Any]] | None = None) -> tuple[Ints, Floats]:
        """Passages of [lo, hi) holding a query term and their BM25Plus scores without rank-bm25's per-query
        constant ``delta * sum(idf)``; IDF is rank-bm25's log((N + 1) / df) over the range. ``parts``: the
        postings' tf parts computed beforehand for the whole index (else computed here from ``norms``)."""
        size = hi - lo
        total = np.zeros(size, dtype=np.float64)
        touched = np.zeros(size, dtype=bool)
        for term, weight in query.items():
            s, e = self.span(term, lo, hi)
            if e == s:
                continue
            factor = weight * math.log((size + 1) / (e - s))
            where = self.docs[s:e] - lo
            # Added term by term in query order, as a loop over the postings would: the same floats.
            total[where] += factor * (self.parts(norms, s, e) if parts is None else parts[s:e])
            touched[where] = True
        found = np.flatnonzero(touched).astype(np.int32)
        return found + lo, total[found]


def top(found: Ints, scores: Floats, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (passage, score), best first, ties by passage number."""
    if k <= 0:
        return []
    if len(found) > 4 * k:
        keep = np.argpartition(-scores, k - 1)[:k]
        threshold = scores[keep].min()
        chosen = np.flatnonzero(scores >= threshold)  # every tie at the cut, so the order stays exact
        found, scores = found[chosen], scores[chosen]
    order = np.lexsort((found, -scores))[:k]
    return [(int(found[i]), float(scores[i])) for i in order]
