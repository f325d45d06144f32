"""What answering needs of an organisation's passages, made on its first question and kept in a bounded cache."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.core.answers import PassageView, view
from bot.core.models import Language, Passage
from bot.core.vocabulary import Vocabulary

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Prepared:
    views: dict[str, PassageView]
    by_concept: dict[str, list[Passage]]  # passages by the topics they address
    positions: dict[str, int]  # passage id -> its place in the organisation's passages


def prepare(passages: Sequence[Passage], language: Language, vocabulary: Vocabulary,
            cited: Mapping[str, str]) -> Prepared:
    """Views of one organisation's passages and its passages by topic."""
    views = {p.id: view(p, language, vocabulary, cited.get(p.id, "")) for p in passages}
    by_concept: dict[str, list[Passage]] = {}
    for v in views.values():
        said = frozenset(v.title_forms).union(*(s.said for s in v.sentences))
        for concept in said:
            by_concept.setdefault(concept, []).append(v.passage)
    return Prepared(views, by_concept, {p.id: i for i, p in enumerate(passages)})


class Bounded(Generic[V]):
    """Values made on first use, the least recently used dropped once their total weight passes ``budget``.

    Thread-safe: the bookkeeping is locked, the making is not (two threads asking for one new key at
    once may both make it; either result is the same value).
    """

    def __init__(self, make: Callable[[str], V], weight: Callable[[str], int], budget: int) -> None:
        self._make = make
        self._weight = weight
        self.budget = budget
        self._items: dict[str, tuple[V, int]] = {}  # insertion order is recency order
        self._total = 0
        self._lock = threading.Lock()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    @property
    def weight(self) -> int:
        return self._total

    def get(self, key: str) -> V:
        with self._lock:
            item = self._items.pop(key, None)
            if item is not None:
                self._items[key] = item
                return item[0]
        value = self._make(key)
        weight = self._weight(key)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._total -= old[1]
            self._items[key] = (value, weight)
            self._total += weight
            while self._total > self.budget and len(self._items) > 1:
                _, dropped = self._items.pop(next(iter(self._items)))
                self._total -= dropped
        return value


class LazyMapping(Mapping[str, V]):
    """A read-only mapping whose values are made on first use and kept in a ``Bounded`` cache."""

    def __init__(self, keys: Sequence[str], cache: Bounded[V]) -> None:
        self._keys = frozenset(keys)
        self._order = tuple(keys)
        self._cache = cache

    def __getitem__(self, key: str) -> V:
        if key not in self._keys:
            raise KeyError(key)
        return self._cache.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)
