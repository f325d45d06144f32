"""The passage index: scores agree with rank-bm25, tiny and empty corpora, partitions, titles."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rank_bm25 import BM25Plus

from bot.core.models import Language, Passage
from bot.core.retrieval import DELTA, K1, B, Partition, PassageIndex


def _passage(org: str, n: int, text: str, section: str = "Policy") -> Passage:
    return Passage(id=f"{org}:s:{n}", org=org, section=section, text=text, start=0, end=len(text))


@pytest.mark.parametrize("seed", range(5))
def test_scores_equal_rank_bm25_plus_minus_its_constant(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(40)]
    docs = [[rng.choice(vocabulary) for _ in range(rng.randint(1, 30))] for _ in range(rng.randint(2, 60))]
    passages = [_passage("o", i, " ".join(d)) for i, d in enumerate(docs)]
    partition = Partition(passages, Language.EN, docs=docs)
    reference = BM25Plus(docs, k1=K1, b=B, delta=DELTA)
    query = [rng.choice(vocabulary) for _ in range(rng.randint(1, 6))] + ["unknown"]
    expected = reference.get_scores(query)
    constant = sum(DELTA * (reference.idf.get(q) or 0) for q in query)
    weights: dict[str, float] = {}
    for q in query:
        weights[q] = weights.get(q, 0.0) + 1.0  # a repeated query term weighs double, as in rank-bm25
    ours = partition.scores(weights)
    got = np.array([ours.get(i, 0.0) + constant for i in range(len(docs))])
    assert np.allclose(got, expected)
    # Passages with none of the terms are never scored at all.
    assert all(any(q in docs[i] for q in query) for i in ours)


def test_tiny_corpus_keeps_positive_idf() -> None:
    # BM25Okapi gives a term in one of two documents an IDF of 0; it must still rank its document first.
    passages = [_passage("o", 0, "we keep data"), _passage("o", 1, "we sell nothing")]
    partition = Partition(passages, Language.EN)
    hits = partition.search({"keep": 1.0}, k=5)
    assert [h.passage.id for h in hits] == ["o:s:0"]
    assert hits[0].score > 0


def test_empty_corpus_and_corpus_without_terms_answer_nothing() -> None:
    assert Partition([], Language.EN).search({"data": 1.0}, k=3) == []
    blank = Partition([_passage("o", 0, "the and of")], Language.EN)
    assert blank.search({"data": 1.0}, k=3) == []
    index = PassageIndex([], {"o": Language.EN})
    assert index.search({Language.EN: {"data": 1.0}}, org="o") == []


def test_search_stays_inside_the_given_organisation() -> None:
    passages = [_passage("a", 0, "cookies are small files"), _passage("b", 0, "cookies cookies cookies")]
    index = PassageIndex(passages, {"a": Language.EN, "b": Language.EN})
    assert [h.passage.org for h in index.search({Language.EN: {"cooki": 1.0}}, org="a")] == ["a"]
    assert {h.passage.org for h in index.search({Language.EN: {"cooki": 1.0}})} == {"a", "b"}


def test_each_partition_uses_its_policy_language() -> None:
    passages = [_passage("sv", 0, "Vi använder kakor"), _passage("en", 0, "We use cookies")]
    index = PassageIndex(passages, {"sv": Language.SV, "en": Language.EN})
    assert index.language("sv") is Language.SV
    hits = index.search({Language.SV: {"kak": 1.0}, Language.EN: {"cooki": 1.0}})
    assert {h.passage.org for h in hits} == {"sv", "en"}


def test_section_title_counts() -> None:
    passages = [_passage("o", 0, "We erase it after three years.", section="How long do you keep my information?"),
                _passage("o", 1, "We use Stripe for payments.", section="Payments")]
    hits = Partition(passages, Language.EN).search({"keep": 1.0}, k=2)
    assert [h.passage.id for h in hits] == ["o:s:0"]


def test_weights_scale_scores() -> None:
    passages = [_passage("o", 0, "keep data"), _passage("o", 1, "sell data"), _passage("o", 2, "other")]
    partition = Partition(passages, Language.EN)
    single = partition.scores({"keep": 1.0})
    double = partition.scores({"keep": 2.0})
    assert double[0] == pytest.approx(2 * single[0])


def _random_docs(rng: random.Random, orgs: int) -> tuple[list[Passage], list[list[str]], dict[str, Language]]:
    vocabulary = [f"w{i}" for i in range(30)]
    passages: list[Passage] = []
    docs: list[list[str]] = []
    for o in range(orgs):
        for n in range(rng.randint(1, 25)):
            doc = [rng.choice(vocabulary) for _ in range(rng.randint(0, 20))]
            passages.append(_passage(f"org{o}", n, " ".join(doc)))
            docs.append(doc)
    pairs = list(zip(passages, docs, strict=True))
    rng.shuffle(pairs)  # organisations interleaved: the index groups them, each keeps its passages' order
    passages, docs = [p for p, _ in pairs], [d for _, d in pairs]
    languages = {f"org{o}": (Language.SV if o % 3 == 0 else Language.EN) for o in range(orgs)}
    return passages, docs, languages


@pytest.mark.parametrize("seed", range(4))
def test_each_organisation_in_a_shared_index_scores_as_bm25_plus_over_it_alone(seed: int) -> None:
    rng = random.Random(seed)
    passages, docs, languages = _random_docs(rng, 6)
    index = PassageIndex(passages, languages, docs=docs)
    for org in languages:
        own = [(p, d) for p, d in zip(passages, docs, strict=True) if p.org == org]
        assert index.passages_of(org) == tuple(p for p, _ in own)  # policy order kept
        reference = BM25Plus([d for _, d in own], k1=K1, b=B, delta=DELTA) if any(d for _, d in own) else None
        query = [f"w{rng.randint(0, 29)}" for _ in range(4)]
        weights = {q: float(query.count(q)) for q in query}
        ours = index.partition(org).scores(weights)
        if reference is None:
            assert ours == {}
            continue
        constant = sum(DELTA * (reference.idf.get(q) or 0) for q in query)
        expected = reference.get_scores(query)
        got = np.array([ours.get(i, 0.0) + constant for i in range(len(own))])
        assert np.allclose(got, expected)
        hits = index.search({languages[org]: weights}, org=org, k=100)
        assert [h.passage.id for h in hits] == [own[i][0].id for i, _ in
                                                sorted(ours.items(), key=lambda item: (-item[1], item[0]))]


def test_across_organisations_scores_use_one_statistic_per_language() -> None:
    rng = random.Random(7)
    passages, docs, languages = _random_docs(rng, 8)
    index = PassageIndex(passages, languages, docs=docs)
    query = {"w1": 1.0, "w2": 1.0}
    hits = index.search({Language.EN: query}, k=1000)
    en = [(p, d) for p, d in zip(passages, docs, strict=True) if languages[p.org] is Language.EN]
    reference = BM25Plus([d for _, d in en], k1=K1, b=B, delta=DELTA)
    constant = sum(DELTA * reference.idf.get(q, 0) for q in query)
    expected = {p.id: s - constant for (p, d), s in zip(en, reference.get_scores(list(query)), strict=True)
                if set(query) & set(d)}
    assert {h.passage.org for h in hits} <= {org for org, lang in languages.items() if lang is Language.EN}
    assert {h.passage.id for h in hits} == set(expected)
    assert all(abs(h.score - expected[h.passage.id]) < 1e-4 * max(1.0, expected[h.passage.id]) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_passages_kept_as_spans_come_back_equal() -> None:
    text = "Intro line.\n\nWe keep data for two years.\n\nCookies are small files."
    passages = [Passage("o:a:1", "o", "Policy", "We keep data for two years.", 13, 40),
                Passage("o:b:1", "o", "Cookies", "Cookies are small files.", 42, 66),
                Passage("o:c:1", "o", "Other", "not from the text", 0, 5)]  # kept with its own text
    assert text[13:40] == passages[0].text and text[42:66] == passages[1].text
    index = PassageIndex(passages, {"o": Language.EN}, sources={"o": text})
    assert index.passages_of("o") == tuple(passages)
    assert [h.passage for h in index.search({Language.EN: {"keep": 1.0}}, org="o")] == [passages[0]]


def test_an_index_built_from_groups_equals_one_built_from_passages() -> None:
    rng = random.Random(3)
    passages, docs, languages = _random_docs(rng, 5)
    texts = {p.id: " ".join(d) for p, d in zip(passages, docs, strict=True)}
    passages = [Passage(p.id, p.org, p.section, texts[p.id], 0, len(texts[p.id])) for p in passages]
    flat = PassageIndex(passages, languages)
    order = [Language.EN, Language.SV]
    groups = [(org, languages[org], [p for p in passages if p.org == org])
              for org in sorted(languages, key=lambda o: order.index(languages[o]))]
    grouped = PassageIndex.from_groups(iter(groups))
    for org in languages:
        assert grouped.passages_of(org) == flat.passages_of(org)
        query = {languages[org]: {"w1": 1.0, "w7": 2.0}}
        assert grouped.search(query, org=org) == flat.search(query, org=org)
    both = {Language.EN: {"w2": 1.0}, Language.SV: {"w2": 1.0}}
    assert grouped.search(both, k=20) == flat.search(both, k=20)
    with pytest.raises(ValueError, match="language order"):
        PassageIndex.from_groups(iter(list(reversed(groups))))


def test_ties_at_the_cut_keep_policy_order() -> None:
    # 40 passages score alike, 5 score higher: the best k are the 5, then the earliest of the tied ones.
    passages = [_passage("o", i, "cookies data" if i % 9 else "cookies cookies cookies") for i in range(45)]
    hits = Partition(passages, Language.EN).search({"cooki": 1.0}, k=8)
    best = [f"o:s:{i}" for i in range(45) if i % 9 == 0]
    tied = [f"o:s:{i}" for i in range(45) if i % 9][:8 - len(best)]
    assert [h.passage.id for h in hits] == best + tied


def test_an_organisations_ranking_keeps_every_score_by_position() -> None:
    texts = ["cookies are small files", "we share data", "cookies and data", "nothing here", "data data data"]
    passages = [_passage("a", n, t) for n, t in enumerate(texts)] + [_passage("b", 0, "data cookies")]
    index = PassageIndex(passages, {"a": Language.EN, "b": Language.EN})
    query = {"cooki": 1.0, "data": 1.0}
    ranking = index.ranking("a", query, 2)
    assert [h.passage.id for h in ranking.hits] == [h.passage.id for h in index.search({Language.EN: query},
                                                                                       org="a", k=2)]
    assert ranking.scores_by_position() == pytest.approx(index.partition("a").scores(query))
    assert set(ranking.scores_by_position()) == {0, 1, 2, 4}  # passages of "a" holding a query term
